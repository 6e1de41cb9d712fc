#!/usr/bin/python3
"""Plain PyTorch CGCNN and SchNet, to measure the framework's speed against (``fusion bench models``).

Both models are written out here layer by layer as the framework's blocks compute them
(fusion-models, packages ``cgcnn`` and ``schnet``), with the widths of the configuration the
framework measures, and they read the very graphs the framework built: ``fusion bench models``
writes them into a folder (``--data``) together with the batches it timed, so that both sides
collate, train and infer on the same structures in the same order.

The script also runs the plain PyTorch ALIGNN of the shared folder (``alignn_pytorch_ref.py``, imported from
``--alignn-ref``, not copied) on the framework's graphs, line graph included, in place of the graphs
that script builds itself with pymatgen.

CGCNN (Xie and Grossman, PRL 2018): v = Linear(atom features); per convolution, for each bond
j -> i with Gaussian distance features u_ij, z = BN(W [v_i, v_j, u_ij] + b) split into filter and
core halves, v_i <- softplus(v_i + BN(sum_j sigmoid(filter) * softplus(core))); mean over atoms;
Linear, softplus, Linear.

SchNet (Schuett et al., J. Chem. Phys. 2018): x = Linear(atom features); per interaction, filters
W(r) = Dense(ssp(Dense(rbf(r)))) * (cos(pi r / r_c) + 1) / 2, messages (W_in x_j) * W(r_ij) summed
into i, x <- x + Dense(ssp(Dense(.))); per atom Dense(ssp(Dense(x))), averaged over atoms;
ssp(x) = softplus(x) - ln 2.

Gaussian expansion of both: exp(-gamma (d - mu_k)^2), mu = linspace(0, cutoff, gaussians),
gamma = (gaussians - 1) / cutoff (the framework's RadialBasis).

Commands (each prints one JSON object on its last line of standard output):

    /usr/bin/python3 bench/graph_models_pytorch_ref.py speed --data DIR [--alignn-ref ../shared/bench/alignn_pytorch_ref.py]
        warm-up batches, then the timed ones: training (collation, forward, MSE, backward, AdamW
        step) and inference (collation, forward without gradients) structures/s, and the BLAS
        library the process loaded (Debian's libblas.so.3 is an alternative: the reference BLAS
        of libblas3, whose matrix products were 12-26x slower than OpenBLAS's on a 2-core
        machine, or OpenBLAS of libopenblas0-pthread; install the latter)
    /usr/bin/python3 bench/graph_models_pytorch_ref.py check --data DIR --state STATE.json --out OUT.json
        loads the framework's weights and writes, for the first batch, the outputs in inference
        mode, the outputs in training mode, the MSE loss and its gradient for every parameter
    /usr/bin/python3 bench/graph_models_pytorch_ref.py check --data DIR --alignn-ref REF.py --state-out STATE.json --out OUT.json
        ALIGNN the other way round: writes the reference's weights (BatchNorm's moved away from their
        initial values; PyTorch's names, which ReferenceWeights.java maps) for the framework to copy,
        then the same outputs, loss and gradients (PyTorch's names)

DIR (written by the framework, little-endian .npy files):
    meta.json          {"type", "model": {the framework's model section}, "outputs", "threads",
                        "warmup_batches", "learning_rate", "weight_decay"}
    atom_table.npy     float32 [Zmax + 1, 92], row Z the atom features of atomic number Z
    z.npy              int64 [N], atomic numbers of all structures' atoms, structure after structure
    atoms.npy          int64 [S], atoms per structure
    edges.npy          int64 [S], bonds per structure
    src.npy, dst.npy   int64 [E], bond j -> i, atom indices within the structure
    lengths.npy        float32 [E], Angstrom
    targets.npy        float32 [S], standardised targets
    batches.npy        int64 [warm-up + timed batches, batch size], structure indices
  and for ALIGNN (which reads the line graph):
    bond_vectors.npy   float32 [E, 3], Angstrom
    triplets.npy       int64 [S], bond pairs per structure
    triplet_in.npy, triplet_out.npy  int64 [T], bond a -> b feeding bond b -> c, bond indices within
                       the structure
    angle_cosines.npy  float32 [T]

STATE.json: {"framework parameter name": {"shape": [...], "data": [...]}}, the framework's names
without DJL's child-order prefixes (embedding_weight, conv_0_norm_gamma, interaction_1_in_bias...).
"""
import argparse
import importlib.util
import json
import math
import os
import sys
import time

REFERENCE_TYPES = ("cgcnn", "schnet", "alignn")

# The ALIGNN reference's radial basis of bond lengths ends at 8 Angstrom whatever the cutoff.
ALIGNN_REFERENCE_CUTOFF = 8.0
BN_NAMES = {"weight": "gamma", "bias": "beta", "running_mean": "runningMean", "running_var": "runningVar"}


def read_meta(folder):
    with open(os.path.join(folder, "meta.json")) as f:
        return json.load(f)


def setup_torch(threads):
    """torch on `threads` threads; OpenBLAS, which torch does not tell, reads its count at load."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(threads))
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    return torch


def blas_library():
    """The BLAS this process has loaded (libblas.so.3 is a Debian alternative: reference BLAS or OpenBLAS)."""
    with open("/proc/self/maps") as f:
        paths = {line.split()[-1] for line in f if "/" in line}
    for p in sorted(paths):
        name = p.lower()
        for label in ("openblas", "mkl", "blis", "atlas"):
            if label in name:
                return label
        if name.endswith("/blas/libblas.so.3"):
            return "netlib"
    return "unknown"


def load_data(folder):
    import numpy as np
    import torch
    meta = read_meta(folder)
    if meta["type"] not in REFERENCE_TYPES:
        sys.exit(f"{folder}: no reference for type {meta['type']!r}; this script has {', '.join(REFERENCE_TYPES)}")
    arr = {k: np.load(os.path.join(folder, k + ".npy"))
           for k in ("atom_table", "z", "atoms", "edges", "src", "dst", "lengths", "targets", "batches")}
    atom_end = np.cumsum(arr["atoms"])
    edge_end = np.cumsum(arr["edges"])
    line = meta["type"] == "alignn"
    if line:
        arr.update({k: np.load(os.path.join(folder, k + ".npy"))
                    for k in ("bond_vectors", "triplets", "triplet_in", "triplet_out", "angle_cosines")})
        triplet_end = np.cumsum(arr["triplets"])
    graphs = []
    for s in range(len(arr["atoms"])):
        a0, a1 = atom_end[s] - arr["atoms"][s], atom_end[s]
        e0, e1 = edge_end[s] - arr["edges"][s], edge_end[s]
        g = dict(
            z=torch.from_numpy(arr["z"][a0:a1].copy()),
            src=torch.from_numpy(arr["src"][e0:e1].copy()),
            dst=torch.from_numpy(arr["dst"][e0:e1].copy()),
            r=torch.from_numpy(arr["lengths"][e0:e1].copy()))
        if line:
            # the keys of the ALIGNN reference's own graphs (its collate and model read them)
            t0, t1 = triplet_end[s] - arr["triplets"][s], triplet_end[s]
            g["r"] = torch.from_numpy(arr["bond_vectors"][e0:e1].copy())
            g["lg_src"] = torch.from_numpy(arr["triplet_in"][t0:t1].copy())
            g["lg_dst"] = torch.from_numpy(arr["triplet_out"][t0:t1].copy())
            g["cos"] = torch.from_numpy(arr["angle_cosines"][t0:t1].copy())
        graphs.append(g)
    table = torch.from_numpy(arr["atom_table"].copy())
    y = torch.from_numpy(arr["targets"].copy())
    batches = [torch.from_numpy(b.copy()) for b in arr["batches"]]
    return meta, table, graphs, y, batches


def collate(table, graphs, idx, y):
    """One disconnected graph of the structures idx: atom indices offset by the atom counts before."""
    import torch
    sel = [graphs[i] for i in idx.tolist()]
    n = torch.tensor([len(g["z"]) for g in sel])
    e = torch.tensor([len(g["src"]) for g in sel])
    offset = torch.repeat_interleave(torch.cumsum(n, 0) - n, e)
    return dict(
        x=table[torch.cat([g["z"] for g in sel])],
        src=torch.cat([g["src"] for g in sel]) + offset,
        dst=torch.cat([g["dst"] for g in sel]) + offset,
        r=torch.cat([g["r"] for g in sel]),
        graph=torch.repeat_interleave(torch.arange(len(sel)), n),
        atoms=n.to(torch.float32),
        y=y[idx])


def make_models():
    import torch
    from torch import nn
    import torch.nn.functional as F

    def gaussians(r, cutoff, bins):
        centres = torch.linspace(0.0, cutoff, bins, dtype=r.dtype)
        return torch.exp(-((bins - 1) / cutoff) * (r.unsqueeze(1) - centres) ** 2)

    def sum_into(index, rows, count):
        return torch.zeros(count, rows.shape[1], dtype=rows.dtype).index_add_(0, index, rows)

    def mean_per_graph(b, rows):
        return sum_into(b["graph"], rows, len(b["atoms"])) / b["atoms"].unsqueeze(1)

    class Cgcnn(nn.Module):
        def __init__(self, m, outputs, features_in):
            super().__init__()
            self.f, self.cutoff, self.bins = m["features"], m["cutoff"], m["gaussians"]
            f = self.f
            blocks = {"embedding": nn.Linear(features_in, f)}
            for k in range(m["conv_layers"]):
                blocks[f"conv_{k}_linear"] = nn.Linear(2 * f + self.bins, 2 * f)
                blocks[f"conv_{k}_norm"] = nn.BatchNorm1d(2 * f)
                blocks[f"conv_{k}_sum_norm"] = nn.BatchNorm1d(f)
            blocks["hidden"] = nn.Linear(f, m["hidden"])
            blocks["output"] = nn.Linear(m["hidden"], outputs)
            self.blocks = nn.ModuleDict(blocks)
            self.layers = m["conv_layers"]

        def forward(self, b):
            blk = self.blocks
            v = blk["embedding"](b["x"])
            u = gaussians(b["r"], self.cutoff, self.bins)
            for k in range(self.layers):
                z = torch.cat([v[b["dst"]], v[b["src"]], u], 1)
                z = blk[f"conv_{k}_norm"](blk[f"conv_{k}_linear"](z))
                filt, core = z[:, :self.f], z[:, self.f:]
                summed = sum_into(b["dst"], torch.sigmoid(filt) * F.softplus(core), len(v))
                v = F.softplus(v + blk[f"conv_{k}_sum_norm"](summed))
            h = F.softplus(blk["hidden"](mean_per_graph(b, v)))
            return blk["output"](h)

    class Schnet(nn.Module):
        def __init__(self, m, outputs, features_in):
            super().__init__()
            f = m["features"]
            self.cutoff, self.bins = m["cutoff"], m["gaussians"]
            blocks = {"embedding": nn.Linear(features_in, f)}
            for k in range(m["interactions"]):
                blocks[f"interaction_{k}_filter1"] = nn.Linear(self.bins, f)
                for part in ("filter2", "in", "out1", "out2"):
                    blocks[f"interaction_{k}_{part}"] = nn.Linear(f, f)
            blocks["readout1"] = nn.Linear(f, f // 2)
            blocks["readout2"] = nn.Linear(f // 2, outputs)
            self.blocks = nn.ModuleDict(blocks)
            self.layers = m["interactions"]

        def forward(self, b):
            blk = self.blocks
            ln2 = math.log(2.0)

            def ssp(t):
                return F.softplus(t) - ln2

            x = blk["embedding"](b["x"])
            r = b["r"]
            rbf = gaussians(r, self.cutoff, self.bins)
            fcut = ((torch.cos(r * (math.pi / self.cutoff)) + 1.0) * 0.5).unsqueeze(1)
            for k in range(self.layers):
                w = blk[f"interaction_{k}_filter2"](ssp(blk[f"interaction_{k}_filter1"](rbf))) * fcut
                messages = blk[f"interaction_{k}_in"](x)[b["src"]] * w
                v = sum_into(b["dst"], messages, len(x))
                x = x + blk[f"interaction_{k}_out2"](ssp(blk[f"interaction_{k}_out1"](v)))
            atomwise = blk["readout2"](ssp(blk["readout1"](x)))
            return mean_per_graph(b, atomwise)

    return {"cgcnn": Cgcnn, "schnet": Schnet}


def build_model(meta, table, alignn_ref=None):
    if meta["type"] != "alignn":
        return make_models()[meta["type"]](meta["model"], meta["outputs"], table.shape[1])
    if alignn_ref is None:
        sys.exit("ALIGNN needs --alignn-ref, the shared folder's alignn_pytorch_ref.py")
    m = meta["model"]
    if m["cutoff"] != ALIGNN_REFERENCE_CUTOFF or meta["outputs"] != 1:
        sys.exit(f"the ALIGNN reference has a radial basis up to {ALIGNN_REFERENCE_CUTOFF} Angstrom and one"
                 f" output; the configuration has cutoff {m['cutoff']} and {meta['outputs']} outputs")
    spec = importlib.util.spec_from_file_location("alignn_pytorch_ref", alignn_ref)
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    model = ref.make_model_module()(hidden=m["hidden"], n_alignn=m["alignn_layers"], n_gcn=m["gcn_layers"],
                                    atom_in=table.shape[1], edge_in=m["edge_bins"], trip_in=m["angle_bins"],
                                    emb=m["embedding"])
    # the reference's stand-in atom features (a random table) become the framework's
    model.atom_table.zero_()
    model.atom_table[:table.shape[0]] = table
    model.collate = ref.collate
    return model


def collate_for(model, table, graphs, idx, y):
    if hasattr(model, "collate"):
        return model.collate(graphs, idx, y)
    return collate(table, graphs, idx, y)


def framework_name(name):
    """blocks.conv_0_norm.running_mean -> conv_0_norm_runningMean (None: not a framework value)."""
    _, block, leaf = name.split(".")
    if leaf == "num_batches_tracked":
        return None
    if "norm" in block.split("_"):
        leaf = BN_NAMES[leaf]
    return block + "_" + leaf


def load_state(torch, model, path):
    with open(path) as f:
        state = json.load(f)
    own = {framework_name(k): k for k in model.state_dict() if framework_name(k) is not None}
    if set(own) != set(state):
        sys.exit(f"{path}: entries differ from the model's: {sorted(set(own) ^ set(state))[:6]}")
    current = model.state_dict()
    for fw, k in own.items():
        t = torch.tensor(state[fw]["data"], dtype=current[k].dtype).reshape(state[fw]["shape"])
        if t.shape != current[k].shape:
            sys.exit(f"{path}: {fw} has shape {list(t.shape)}, the model's {k} {list(current[k].shape)}")
        current[k] = t
    model.load_state_dict(current)


def moved_norms(torch, model):
    """BatchNorm's scale, shift and running statistics away from 1, 0, 0, 1 (seeded), so that a swapped or
    ignored one changes the outputs."""
    g = torch.Generator().manual_seed(11)
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, torch.nn.BatchNorm1d):
                for t, lo, hi in ((mod.weight, 0.5, 1.5), (mod.bias, -0.5, 0.5),
                                  (mod.running_mean, -0.5, 0.5), (mod.running_var, 0.5, 1.5)):
                    t.copy_(lo + (hi - lo) * torch.rand(t.shape, generator=g))


def write_json(path, value):
    with open(path + ".tmp", "w") as f:
        json.dump(value, f)
    os.replace(path + ".tmp", path)


def cmd_check(args):
    torch = setup_torch(read_meta(args.data)["threads"])
    meta, table, graphs, y, batches = load_data(args.data)
    model = build_model(meta, table, args.alignn_ref)
    if meta["type"] == "alignn":
        # the reference's own weights, for the framework to copy (ReferenceWeights.java)
        if args.state_out is None:
            sys.exit("check of ALIGNN needs --state-out")
        moved_norms(torch, model)
        write_json(args.state_out, {k: dict(shape=list(v.shape), data=v.flatten().tolist())
                                    for k, v in model.state_dict().items()})

        def name(k):
            return k
    else:
        load_state(torch, model, args.state)
        name = framework_name
    b = collate_for(model, table, graphs, batches[0], y)
    model.eval()
    with torch.no_grad():
        infer = model(b)
    model.train()
    train = model(b)
    loss = ((train.reshape(-1) - b["y"]) ** 2).mean()
    loss.backward()
    # a parameter the loss does not reach (ALIGNN's last bond-pair update) has no gradient: zeros
    grads = {name(k): dict(shape=list(p.shape),
                           data=(p.grad if p.grad is not None else torch.zeros_like(p)).flatten().tolist())
             for k, p in model.named_parameters()}
    write_json(args.out, dict(infer=infer.flatten().tolist(), train=train.flatten().tolist(), loss=float(loss),
                              grads=grads))
    print(json.dumps(dict(out=args.out, parameters=len(grads))))


def cmd_speed(args):
    torch = setup_torch(read_meta(args.data)["threads"])
    meta, table, graphs, y, batches = load_data(args.data)
    model = build_model(meta, table, args.alignn_ref)
    parameters = sum(p.numel() for p in model.parameters())
    warmup = meta["warmup_batches"]
    opt = torch.optim.AdamW(model.parameters(), lr=meta["learning_rate"], weight_decay=meta["weight_decay"])

    model.train()
    train_s = 0.0
    for i, idx in enumerate(batches):
        t0 = time.perf_counter()
        b = collate_for(model, table, graphs, idx, y)
        opt.zero_grad(set_to_none=True)
        loss = ((model(b).reshape(-1) - b["y"]) ** 2).mean()
        loss.backward()
        opt.step()
        if i >= warmup:
            train_s += time.perf_counter() - t0

    model = build_model(meta, table, args.alignn_ref)  # freshly initialised, as the framework's
    model.eval()
    infer_s = 0.0
    with torch.no_grad():
        for i, idx in enumerate(batches):
            t0 = time.perf_counter()
            b = collate_for(model, table, graphs, idx, y)
            model(b)
            if i >= warmup:
                infer_s += time.perf_counter() - t0

    timed = sum(len(idx) for idx in batches[warmup:])
    print(json.dumps(dict(
        type=meta["type"], threads=torch.get_num_threads(), parameters=parameters,
        timed_structures=timed, train_s=round(train_s, 4), infer_s=round(infer_s, 4),
        train_structures_per_s=timed / train_s, infer_structures_per_s=timed / infer_s,
        torch=torch.__version__, blas=blas_library())))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("cmd", choices=["speed", "check"])
    ap.add_argument("--data", required=True, help="the folder fusion bench models wrote")
    ap.add_argument("--state", help="check: the framework's weights")
    ap.add_argument("--out", help="check: where to write the outputs and gradients")
    ap.add_argument("--state-out", help="check of ALIGNN: where to write the reference's weights (PyTorch's names)")
    ap.add_argument("--alignn-ref", help="ALIGNN: the shared folder's alignn_pytorch_ref.py")
    args = ap.parse_args()
    if args.cmd == "check" and args.out is None or args.cmd == "check" and args.state is None and args.state_out is None:
        ap.error("check needs --out and --state (CGCNN, SchNet) or --state-out (ALIGNN)")
    {"speed": cmd_speed, "check": cmd_check}[args.cmd](args)


if __name__ == "__main__":
    main()
