package org.fusionml.train.trainer;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import org.fusionml.data.InvalidInputException;
import org.fusionml.data.io.AtomicFiles;
import org.fusionml.data.io.Sources;

/**
 * A run's resumable state after an epoch, all in one file ({@code checkpoint.bin}) written
 * atomically, so that its parts always belong to the same epoch:
 *
 * <pre>
 * "FUSIONCK"                      8 bytes
 * format                          int (1)
 * state                           int length + UTF-8 JSON ({@link State})
 * parameters                      long length + the block's parameters (DJL's layout)
 * optimizer                       long length + DecoupledAdamW's state (0 bytes: no update yet)
 * SHA-256 of all the above        32 bytes
 * </pre>
 *
 * A file that is truncated, altered or not a checkpoint is refused with one line naming it, never
 * resumed.
 *
 * @param state epoch, best-so-far and the hashes that tie the run together
 * @param parameters the block's parameters after {@code state.epoch()}
 * @param optimizer the optimizer's moments and step count (empty when it made no update)
 */
record Checkpoint(State state, byte[] parameters, byte[] optimizer) {
    static final int FORMAT = 1;
    private static final byte[] MAGIC = "FUSIONCK".getBytes(StandardCharsets.US_ASCII);
    private static final int DIGEST = 32;
    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    Checkpoint {
        parameters = parameters.clone();
        optimizer = optimizer.clone();
    }

    @Override
    public byte[] parameters() {
        return parameters.clone();
    }

    @Override
    public byte[] optimizer() {
        return optimizer.clone();
    }

    /**
     * What a checkpoint records besides the arrays.
     *
     * @param epoch epochs done
     * @param bestValMae best validation MAE so far, target unit
     * @param bestEpoch its epoch (1-based)
     * @param settingsSha256 hash of the settings and split that made it ({@link
     *     RunDirectory#claim})
     * @param bestParamsSha256 SHA-256 of the content {@code best.params} has after this epoch
     */
    record State(
            @JsonProperty("epoch") int epoch,
            @JsonProperty("best_val_mae") double bestValMae,
            @JsonProperty("best_epoch") int bestEpoch,
            @JsonProperty("settings_sha256") String settingsSha256,
            @JsonProperty("best_params_sha256") String bestParamsSha256) {}

    /** Writes the checkpoint to {@code file}, atomically. */
    void write(Path file) throws IOException {
        byte[] state = JSON.writeValueAsBytes(this.state);
        AtomicFiles.write(
                file,
                out -> {
                    MessageDigest sha = Sources.sha256();
                    DataOutputStream d = new DataOutputStream(new DigestOutputStream(out, sha));
                    d.write(MAGIC);
                    d.writeInt(FORMAT);
                    d.writeInt(state.length);
                    d.write(state);
                    d.writeLong(parameters.length);
                    d.write(parameters);
                    d.writeLong(optimizer.length);
                    d.write(optimizer);
                    d.flush();
                    out.write(sha.digest());
                });
    }

    /**
     * Reads the checkpoint in {@code file}, or null when there is none.
     *
     * @throws InvalidInputException naming {@code file} when it is damaged, truncated or not a
     *     checkpoint
     */
    static Checkpoint read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (all.length < MAGIC.length
                || !Arrays.equals(all, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw damaged(file, "not a FUSION checkpoint");
        }
        int body = all.length - DIGEST;
        if (body < MAGIC.length
                || !Arrays.equals(
                        Sources.sha256().digest(Arrays.copyOf(all, body)),
                        Arrays.copyOfRange(all, body, all.length))) {
            throw damaged(file, "damaged or truncated (its SHA-256 does not match its content)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, body))) {
            in.skipNBytes(MAGIC.length);
            int format = in.readInt();
            if (format != FORMAT) {
                throw damaged(
                        file,
                        "checkpoint format "
                                + format
                                + " is not supported (expected "
                                + FORMAT
                                + ")");
            }
            State state = JSON.readValue(bytes(in, in.readInt()), State.class);
            byte[] parameters = bytes(in, in.readLong());
            byte[] optimizer = bytes(in, in.readLong());
            if (in.available() != 0) {
                throw damaged(file, "has " + in.available() + " bytes past its last part");
            }
            return new Checkpoint(state, parameters, optimizer);
        } catch (EOFException e) {
            throw damaged(file, "its parts are shorter than their recorded lengths");
        } catch (JsonProcessingException e) {
            throw damaged(file, "its state is not valid JSON");
        }
    }

    private static byte[] bytes(DataInputStream in, long length) throws IOException {
        if (length < 0 || length > in.available()) {
            throw new EOFException();
        }
        return in.readNBytes((int) length);
    }

    /** The one-line refusal of a checkpoint that cannot be trusted. */
    static InvalidInputException damaged(Path file, String problem) {
        return new InvalidInputException(
                file.toString(),
                null,
                problem
                        + "; the run cannot resume from it: delete it to train this run again"
                        + " from the start, or use another output folder");
    }
}
