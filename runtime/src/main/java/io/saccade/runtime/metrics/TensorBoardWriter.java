package io.saccade.runtime.metrics;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import io.saccade.runtime.io.FileWrites;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 *
 * <p>Events are a log: once a write fails (a full disk), the writer says so once at WARN, naming the file and
 * the reason, and drops the events that follow ({@link #failed()}) instead of stopping the training that
 * logs them. A record cut off by the failure is dropped when a resumed run reopens the folder.
 */
public final class TensorBoardWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TensorBoardWriter.class);
  private static final int MASK_DELTA = 0xa282ead8;

  private final Path file;
  private final OutputStream out;
  private String failure;

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
    TensorBoardWriter w = new TensorBoardWriter(file, new BufferedOutputStream(FileWrites.output(file)));
    w.write(Event.newBuilder().setWallTime(now / 1000.0).setFileVersion("brain.Event:2").build());
    return w;
  }

  /**
   * Opens a writer for a run that continues at {@code step} (a resumed run, or 0 for a new one): events
   * of later steps in the folder's existing event files — written before the run was interrupted, and
   * about to be written again — are removed first, so TensorBoard shows one curve with each step once.
   * A file left with no events but its header is deleted; a record cut off by a crash is dropped. Files
   * are rewritten to a temporary name and renamed into place.
   *
   * <pre>{@code
   * try (TensorBoardWriter tb = TensorBoardWriter.open(Path.of("runs/afnet/tensorboard"), trainer.step())) { ... }
   * }</pre>
   */
  public static TensorBoardWriter open(Path dir, long step) throws IOException {
    if (Files.isDirectory(dir)) {
      List<Path> files;
      try (Stream<Path> list = Files.list(dir)) {
        files = list.filter(f -> f.getFileName().toString().startsWith("events.out.tfevents.")).sorted().toList();
      }
      for (Path f : files) {
        dropEventsAfter(f, step);
      }
    }
    return open(dir);
  }

  /** Rewrites {@code file} without the events of steps after {@code step} (and without a torn last record). */
  private static void dropEventsAfter(Path file, long step) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> kept = new ArrayList<>();
    boolean changed = false;
    int summaries = 0;
    while (buf.hasRemaining()) {
      byte[] record = nextRecord(buf);
      if (record == null) {
        changed = true; // a record cut off by a crash, or damaged: drop it and what follows
        break;
      }
      Event e = Event.parseFrom(record);
      if (e.getStep() > step) {
        changed = true;
        continue;
      }
      if (e.hasSummary()) {
        summaries++;
      }
      kept.add(record);
    }
    if (!changed) {
      return;
    }
    if (summaries == 0) {
      Files.delete(file);
      return;
    }
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(temp))) {
      for (byte[] record : kept) {
        writeRecord(out, record);
      }
    }
    Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The next record's payload, or null when what is left is not a whole record with good checksums. */
  private static byte[] nextRecord(ByteBuffer buf) {
    if (buf.remaining() < 12) {
      return null;
    }
    byte[] lengthBytes = new byte[8];
    buf.get(lengthBytes);
    long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    int lengthCrc = buf.getInt();
    if (lengthCrc != maskedCrc(lengthBytes, 0, 8) || length < 0 || length > buf.remaining() - 4L) {
      return null;
    }
    byte[] data = new byte[(int) length];
    buf.get(data);
    return buf.getInt() == maskedCrc(data, 0, data.length) ? data : null;
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

  /**
   * Appends one image (PNG-encoded, as TensorBoard's Images tab shows it), e.g. the frames a network kept.
   */
  public synchronized void image(String tag, long step, java.awt.image.BufferedImage image) {
    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    try {
      javax.imageio.ImageIO.write(image, "png", png);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot encode the image " + tag + " as PNG", e); // in memory: a bug
    }
    Summary.Image img =
        Summary.Image.newBuilder()
            .setHeight(image.getHeight())
            .setWidth(image.getWidth())
            .setColorspace(3)
            .setEncodedImageString(com.google.protobuf.ByteString.copyFrom(png.toByteArray()))
            .build();
    write(
        Event.newBuilder()
            .setWallTime(System.currentTimeMillis() / 1000.0)
            .setStep(step)
            .setSummary(Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag).setImage(img)))
            .build());
  }

  /** Pushes buffered events to disk, so TensorBoard sees them while training runs. */
  public synchronized void flush() {
    if (failure != null) {
      return;
    }
    try {
      out.flush();
    } catch (IOException e) {
      failed(e);
    }
  }

  /** Why events are no longer written (the first failed write), or null while they are. */
  public synchronized String failed() {
    return failure;
  }

  private synchronized void write(Event event) {
    if (failure != null) {
      return;
    }
    try {
      writeRecord(out, event.toByteArray());
    } catch (IOException e) {
      failed(e);
    }
  }

  private void failed(IOException e) {
    failure = FileWrites.reason(e, null);
    LOG.warn("TensorBoard events are no longer written to {}: {}; training goes on (events after this are lost)",
        file, failure);
  }

  /** One TFRecord: length, its masked CRC, the payload, its masked CRC. */
  private static void writeRecord(OutputStream out, byte[] data) throws IOException {
    ByteBuffer header = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
    header.putLong(data.length);
    header.putInt(maskedCrc(header.array(), 0, 8));
    ByteBuffer footer = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
    footer.putInt(maskedCrc(data, 0, data.length));
    out.write(header.array());
    out.write(data);
    out.write(footer.array());
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
    try {
      out.close();
    } catch (IOException e) {
      if (failure == null) {
        failed(e);
      }
    }
  }
}
