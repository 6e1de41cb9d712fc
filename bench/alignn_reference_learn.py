#!/usr/bin/python3
"""Learning check of the plain PyTorch ALIGNN of ../shared/bench on a split chosen by the framework.

Trains the reference model (``alignn_pytorch_ref.py``, imported, not copied) on exactly the train /
validation / test indices of a FUSION split and prints, as one JSON object on the last line of standard
output, its validation and test MAE and the test MAE of always predicting the training mean, so that the
framework's learning figure can be set beside what an independent implementation of the same
architecture reaches on the same structures. ``fusion bench learn`` writes the split and the atom
features, runs this script and prints both figures.

The reference's stand-in atom features (a random table) are replaced by the framework's 92 CGCNN-style
bits, read from ``--atom-features`` (a JSON list of 119 rows of 92 numbers, row Z for atomic number Z),
so both models see the same inputs. Optimisation follows the framework's: AdamW (weight decay on
weights only), one-cycle stepped per batch, standardised targets, early stopping on the validation MAE
with the best epoch restored; the options default to the small configuration's values. With ``--loss der``
the reference's output layer gives 4 numbers that become a Normal-Inverse-Gamma head as the framework's
(gamma; nu, alpha - 1, beta = softplus of the raw value capped at 30, plus 1e-6), trained with deep
evidential regression (NIG negative log-likelihood + lambda |y - gamma| (2 nu + alpha), lambda
``--der-lambda``); gamma is the prediction. Otherwise the head is the reference's plain regression.

Same start (``fusion bench learn --same-start``): ``--state-out FILE`` writes the freshly initialised
model's state (PyTorch names, {"name": {"shape": [...], "data": [...]}}) and exits; the framework
copies it into its own model. ``--state-in FILE`` starts from such a state instead of the seed's
initialisation, and ``--order FILE`` (one list of training ids per epoch) visits the training
structures in the framework's order instead of drawing its own. The last line then also holds the
per-epoch curve (mean training loss, validation MAE).

Usage (Debian's python3 with python3-torch and python3-pymatgen; the graph cache must exist, see
../shared/bench/README.md):

    /usr/bin/python3 bench/alignn_reference_learn.py --split SPLIT.json --atom-features FEAT.json \
        [--config SMALL|FULL] [--loss mse|mae|der] [--der-lambda 0.01] [--epochs 100] [--patience 30] [--batch 32]
        [--lr 1e-3] [--weight-decay 1e-5] [--seed 0] [--init pytorch|xavier] [--no-cycle-momentum]
        [--state-out STATE.json | --state-in STATE.json --order ORDER.json]

SPLIT.json: {"train": [...], "val": [...], "test": [...]}, Matbench ids (mb-jdft2d-001, ...).
"""
import argparse
import importlib.util
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REF = os.environ.get("ALIGNN_REF", os.path.join(HERE, "..", "..", "shared", "bench", "alignn_pytorch_ref.py"))


def load_reference():
    spec = importlib.util.spec_from_file_location("alignn_pytorch_ref", REF)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def der_loss(torch, raw, y, lam):
    """Deep evidential regression (Amini et al. 2020) on the raw [B, 4] output, as the framework's head and loss."""
    soft = torch.nn.functional.softplus
    gamma = raw[:, 0]
    nu = soft(raw[:, 1].clamp(max=30.0)) + 1e-6
    alpha = soft(raw[:, 2].clamp(max=30.0)) + 1.0 + 1e-6
    beta = soft(raw[:, 3].clamp(max=30.0)) + 1e-6
    omega = 2.0 * beta * (1.0 + nu)
    nll = (0.5 * torch.log(torch.pi / nu) - alpha * torch.log(omega)
           + (alpha + 0.5) * torch.log((y - gamma) ** 2 * nu + omega)
           + torch.lgamma(alpha) - torch.lgamma(alpha + 0.5))
    return (nll + lam * (y - gamma).abs() * (2.0 * nu + alpha)).mean()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--split", required=True)
    ap.add_argument("--atom-features", required=True)
    ap.add_argument("--config", default="SMALL", choices=["SMALL", "FULL"])
    ap.add_argument("--loss", default="mse", choices=["mse", "mae", "der"])
    ap.add_argument("--der-lambda", type=float, default=0.01)
    ap.add_argument("--epochs", type=int, default=100)
    ap.add_argument("--patience", type=int, default=30)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--no-cycle-momentum", action="store_true",
                    help="keep Adam's beta1 at 0.9 (train.cycle_momentum: false); by default OneCycleLR cycles it 0.95 -> 0.85 -> 0.95")
    ap.add_argument("--init", default="pytorch", choices=["pytorch", "xavier"],
                    help="the framework's model.init: pytorch, PyTorch's defaults (as ALIGNN); xavier, DJL's"
                         " (weights N(0, 2 / ((fan_in + fan_out) / 2)), biases 0)")
    ap.add_argument("--state-out", help="write the initial state to this file and exit")
    ap.add_argument("--state-in", help="start from this state (written by --state-out)")
    ap.add_argument("--order", help="JSON list per epoch of the training ids in the order to visit them")
    args = ap.parse_args()

    ref = load_reference()
    import numpy as np
    torch = ref.setup_torch(args.threads)
    torch.manual_seed(args.seed)
    ids, y, gs = ref.load_cache()
    y = np.asarray(y, dtype=np.float64)
    with open(args.split) as f:
        split = json.load(f)
    where = {i: n for n, i in enumerate(ids)}
    missing = [i for k in ("train", "val", "test") for i in split[k] if i not in where]
    if missing:
        sys.exit(f"{args.split}: {len(missing)} ids are not in the reference's dataset, e.g. {missing[0]}")
    tr, va, te = (np.asarray([where[i] for i in split[k]], dtype=np.int64) for k in ("train", "val", "test"))
    with open(args.atom_features) as f:
        table = torch.tensor(json.load(f), dtype=torch.float32)
    if table.shape != (119, 92):
        sys.exit(f"{args.atom_features}: expected 119 rows of 92 features, got {tuple(table.shape)}")

    mu, sd = y[tr].mean(), y[tr].std()
    yz = torch.tensor((y - mu) / sd, dtype=torch.float32)
    model = ref.make_model_module()(**ref.CONFIGS[args.config])
    model.atom_table.copy_(table)
    if args.loss == "der":
        model.fc = torch.nn.Linear(model.fc.in_features, 4)  # raw gamma, nu, alpha, beta; forward's squeeze(1) keeps [B, 4]
    if args.init == "xavier":
        with torch.no_grad():
            for mod in model.modules():
                if isinstance(mod, torch.nn.Linear):
                    fan_out, fan_in = mod.weight.shape
                    mod.weight.normal_(0.0, (2.0 / ((fan_in + fan_out) / 2.0)) ** 0.5)
                    mod.bias.zero_()
    if args.state_out:
        state = {k: dict(shape=list(v.shape), data=v.flatten().tolist()) for k, v in model.state_dict().items()}
        with open(args.state_out + ".tmp", "w") as f:
            json.dump(state, f)
        os.replace(args.state_out + ".tmp", args.state_out)
        print(json.dumps(dict(state_out=args.state_out, entries=len(state))))
        return
    if args.state_in:
        with open(args.state_in) as f:
            state = json.load(f)
        own = model.state_dict()
        if set(state) != set(own):
            sys.exit(f"{args.state_in}: entries differ from the model's: {sorted(set(state) ^ set(own))[:5]}")
        model.load_state_dict({k: torch.tensor(v["data"], dtype=own[k].dtype).reshape(v["shape"]) for k, v in state.items()})
    order = None
    if args.order:
        with open(args.order) as f:
            order = [np.asarray([where[i] for i in ep], dtype=np.int64) for ep in json.load(f)]
        if len(order) < args.epochs or any(sorted(ep.tolist()) != sorted(tr.tolist()) for ep in order):
            sys.exit(f"{args.order}: needs {args.epochs} epochs, each a permutation of the training ids")
    decay = [p for n, p in model.named_parameters() if p.dim() > 1]
    no_decay = [p for n, p in model.named_parameters() if p.dim() <= 1]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": args.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=args.lr)
    steps = (len(tr) + args.batch - 1) // args.batch
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, epochs=args.epochs, steps_per_epoch=steps,
                                                cycle_momentum=not args.no_cycle_momentum)
    loss_fn = {"mse": torch.nn.MSELoss(), "mae": torch.nn.L1Loss(), "der": lambda out, y: der_loss(torch, out, y, args.der_lambda)}[args.loss]
    point = (lambda out: out[:, 0]) if args.loss == "der" else (lambda out: out)
    gen = torch.Generator().manual_seed(args.seed)

    def predict(ix):
        model.eval()
        out = []
        with torch.no_grad():
            for i in range(0, len(ix), 64):
                out.append(point(model(ref.collate(gs, ix[i:i + 64], yz))))
        model.train()
        return torch.cat(out).numpy().astype(np.float64) * sd + mu

    best, best_epoch, best_state, epoch = float("inf"), 0, None, 0
    curve = []
    t0 = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        perm = tr[torch.randperm(len(tr), generator=gen).numpy()] if order is None else order[epoch - 1]
        total = 0.0
        for i in range(0, len(perm), args.batch):
            idx = perm[i:i + args.batch]
            b = ref.collate(gs, idx, yz)
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(b), b["y"])
            loss.backward()
            total += loss.item()
            opt.step()
            sched.step()
        val_mae = float(np.mean(np.abs(predict(va) - y[va])))
        if val_mae < best:
            best, best_epoch = val_mae, epoch
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
        curve.append(dict(epoch=epoch, train_loss=total / steps, val_mae=val_mae))
        print(json.dumps(dict(epoch=epoch, train_loss=round(total / steps, 6), val_mae=round(val_mae, 3), best=round(best, 3))), file=sys.stderr, flush=True)
        if epoch - best_epoch >= args.patience:
            break
    wall = time.perf_counter() - t0
    model.load_state_dict(best_state)
    test_mae = float(np.mean(np.abs(predict(te) - y[te])))
    mean_mae = float(np.mean(np.abs(mu - y[te])))
    print(json.dumps(dict(config=args.config, loss=args.loss, der_lambda=args.der_lambda if args.loss == "der" else None, init=args.init, cycle_momentum=not args.no_cycle_momentum, batch_size=args.batch, seed=args.seed, epochs=epoch,
                          best_epoch=best_epoch, train=len(tr), val=len(va), test=len(te), val_mae=best,
                          test_mae=test_mae, mean_predictor_test_mae=mean_mae, wall_s=wall,
                          start="state" if args.state_in else "seed", curve=curve)))

if __name__ == "__main__":
    main()
