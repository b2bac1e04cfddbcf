package io.saccade.runtime.metrics;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;

/**
 * Writes TensorBoard event files: TFRecord-framed {@code Event} protos with masked CRC32C checksums,
 * readable by TensorBoard and by {@code tf.compat.v1.train.summary_iterator}.
 *
 * <pre>{@code
 * try (TensorBoardWriter tb = TensorBoardWriter.open(Path.of("runs/afnet/train"))) {
 *   tb.scalar("loss", step, 1.23);
 * }
 * }</pre>
 *
 * <p>Written in plain Java rather than with TensorFlow's summary ops so that logging never touches the
 * training graph or its session.
 */
public final class TensorBoardWriter implements AutoCloseable {

  private static final int MASK_DELTA = 0xa282ead8;

  private final Path file;
  private final OutputStream out;

  private TensorBoardWriter(Path file, OutputStream out) {
    this.file = file;
    this.out = out;
  }

  /**
   * Creates {@code dir} if needed and a new event file in it named as TensorBoard expects
   * ({@code events.out.tfevents.<seconds>.<host>}), starting with the file-version event.
   */
  public static TensorBoardWriter open(Path dir) throws IOException {
    Files.createDirectories(dir);
    long now = System.currentTimeMillis();
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    Path file = dir.resolve("events.out.tfevents." + now / 1000 + "." + host);
    for (int i = 1; Files.exists(file); i++) {
      file = dir.resolve("events.out.tfevents." + now / 1000 + "." + host + "." + i);
    }
    TensorBoardWriter w = new TensorBoardWriter(file, new BufferedOutputStream(Files.newOutputStream(file)));
    w.write(Event.newBuilder().setWallTime(now / 1000.0).setFileVersion("brain.Event:2").build());
    return w;
  }

  /** The event file being written. */
  public Path file() {
    return file;
  }

  /** Appends one scalar, e.g. {@code scalar("train/loss", 100, 0.7)}. */
  public synchronized void scalar(String tag, long step, double value) {
    Summary summary =
        Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag).setSimpleValue((float) value)).build();
    write(
        Event.newBuilder()
            .setWallTime(System.currentTimeMillis() / 1000.0)
            .setStep(step)
            .setSummary(summary)
            .build());
  }

  /** Pushes buffered events to disk, so TensorBoard sees them while training runs. */
  public synchronized void flush() {
    try {
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot flush " + file, e);
    }
  }

  private synchronized void write(Event event) {
    byte[] data = event.toByteArray();
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(data.length);
    header.putInt(maskedCrc(header.array(), 0, 8));
    ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    footer.putInt(maskedCrc(data, 0, data.length));
    try {
      out.write(header.array());
      out.write(data);
      out.write(footer.array());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + file, e);
    }
  }

  /** TFRecord's checksum: CRC32C, rotated right by 15 bits, plus a constant. */
  static int maskedCrc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int c = (int) crc.getValue();
    return ((c >>> 15) | (c << 17)) + MASK_DELTA;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
