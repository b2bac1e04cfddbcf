package io.saccade.runtime.metrics;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads TFRecord files (TensorBoard event files among them), checking both checksums of every record.
 *
 * <pre>{@code
 * for (byte[] record : TfRecordReader.readAll(path)) { Event e = Event.parseFrom(record); }
 * }</pre>
 */
public final class TfRecordReader {

  private TfRecordReader() {}

  /**
   * Every record's payload, in order.
   *
   * @throws IOException naming the file and the byte offset of a truncated record or a bad checksum
   */
  public static List<byte[]> readAll(Path file) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    List<byte[]> records = new ArrayList<>();
    while (buf.hasRemaining()) {
      int start = buf.position();
      if (buf.remaining() < 12) {
        throw new IOException(file + ": truncated record header at byte " + start);
      }
      byte[] lengthBytes = new byte[8];
      buf.get(lengthBytes);
      long length = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      int lengthCrc = buf.getInt();
      if (lengthCrc != TensorBoardWriter.maskedCrc(lengthBytes, 0, 8)) {
        throw new IOException(file + ": bad length checksum at byte " + start);
      }
      if (length < 0 || length > buf.remaining() - 4) {
        throw new IOException(file + ": truncated record of " + length + " bytes at byte " + start);
      }
      byte[] data = new byte[(int) length];
      buf.get(data);
      if (buf.getInt() != TensorBoardWriter.maskedCrc(data, 0, data.length)) {
        throw new IOException(file + ": bad data checksum in the record at byte " + start);
      }
      records.add(data);
    }
    return records;
  }
}
