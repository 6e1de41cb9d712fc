package org.fusionml.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Writes arrays in NumPy's {@code .npy} format (version 1.0: magic, header length, a header
 * dictionary padded with spaces to a multiple of 64 bytes and ending in a newline, then the
 * little-endian, row-major data), which {@code numpy.load} reads; for the PyTorch references.
 */
final class Npy {
    private Npy() {}

    /** Writes {@code data} as float32 of {@code shape} (whose product is its length). */
    static void write(Path file, float[] data, long... shape) throws IOException {
        ByteBuffer b = body(file, "<f4", data.length, 4, shape);
        b.asFloatBuffer().put(data);
        Files.write(file, b.array());
    }

    /** Writes {@code data} as int64 of {@code shape} (whose product is its length). */
    static void write(Path file, long[] data, long... shape) throws IOException {
        ByteBuffer b = body(file, "<i8", data.length, 8, shape);
        b.asLongBuffer().put(data);
        Files.write(file, b.array());
    }

    /**
     * The file's bytes with the header filled in and the position at the data, in little-endian
     * order (views made from it keep that order).
     */
    private static ByteBuffer body(Path file, String dtype, int length, int width, long[] shape) {
        long count = Arrays.stream(shape).reduce(1, Math::multiplyExact);
        if (count != length) {
            throw new IllegalArgumentException(
                    file
                            + ": shape "
                            + Arrays.toString(shape)
                            + " holds "
                            + count
                            + " values, the data "
                            + length);
        }
        String dims =
                Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", "));
        String dict =
                "{'descr': '"
                        + dtype
                        + "', 'fortran_order': False, 'shape': ("
                        + dims
                        + (shape.length == 1 ? "," : "")
                        + "), }";
        int unpadded = 10 + dict.length() + 1;
        int padded = (unpadded + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - unpadded) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + length * width);
        b.order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII));
        b.put((byte) 1).put((byte) 0).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        return b;
    }
}
