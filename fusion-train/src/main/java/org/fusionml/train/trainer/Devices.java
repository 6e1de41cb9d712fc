package org.fusionml.train.trainer;

import ai.djl.Device;
import ai.djl.engine.Engine;
import org.fusionml.data.InvalidInputException;

/** The {@code train.device} setting: {@code auto}, {@code cpu} or {@code gpu:N}. */
public final class Devices {
    private Devices() {}

    /**
     * The device for {@code spec}; {@code auto} is the first GPU PyTorch sees, else the CPU.
     *
     * @throws InvalidInputException for a GPU that is not there (no silent fallback to the CPU)
     */
    public static Device resolve(String spec) {
        int gpus = Engine.getInstance().getGpuCount();
        if (spec.equals("auto")) {
            return gpus > 0 ? Device.gpu(0) : Device.cpu();
        }
        if (spec.equals("cpu")) {
            return Device.cpu();
        }
        if (spec.matches("gpu:\\d+")) {
            int id = Integer.parseInt(spec.substring(4));
            if (id >= gpus) {
                throw new InvalidInputException(
                        "configuration",
                        "train.device",
                        spec
                                + " asked for, but PyTorch sees "
                                + gpus
                                + " GPU(s)"
                                + (gpus == 0
                                        ? " (this build has CPU natives; for CUDA see"
                                                + " docker/Dockerfile.cuda)"
                                        : ""));
            }
            return Device.gpu(id);
        }
        throw new InvalidInputException(
                "configuration",
                "train.device",
                "'" + spec + "' is not known; valid: auto, cpu, gpu:N");
    }
}
