package io.saccade.runtime.data;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_CORRUPT;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_to_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_frame;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_packet;
import static org.bytedeco.ffmpeg.global.avformat.av_find_best_stream;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getCachedContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;
import static org.bytedeco.ffmpeg.presets.avutil.AVERROR_EAGAIN;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.PointerPointer;

/**
 * Decodes frames of a video file (MP4, WebM, AVI, MKV, MOV, ...) with FFmpeg, through its JavaCPP
 * binding ({@code org.bytedeco:ffmpeg}, LGPL build), into {@link RgbImage}s.
 *
 * <pre>{@code
 * VideoFileDecoder.Info info = VideoFileDecoder.probe(Path.of("clips/a.mp4"));   // 640x360 h264, 300 frames
 * VideoFileDecoder.Frames f = VideoFileDecoder.decode(Path.of("clips/a.mp4"), new int[] {12, 37, 62});
 * RgbImage frame37 = f.get(37);
 * }</pre>
 *
 * <p><b>Frame numbering.</b> Frame {@code i} is the {@code i}-th picture (0-based) the decoder outputs,
 * in presentation order, from the start of the file; there is no seeking, so decoding stops right after
 * the highest requested index and costs {@code max(indices) + 1} decoded pictures.
 *
 * <p><b>Frame count.</b> {@link #countFrames(Path)} reads the container's count ({@code nb_frames}:
 * MP4/MOV and AVI store it) and, when the container has none (WebM/Matroska), counts the video stream's
 * packets, which reads the file but decodes nothing. Either is an estimate of what the decoder will
 * output; {@link Frames#endOfStream()} tells a caller when the estimate was too high.
 *
 * <p><b>Errors.</b> A missing or empty file, a file FFmpeg cannot open (corrupt header, MP4 cut before
 * its index), one without a video stream or with a codec this build cannot decode, a stream whose
 * packets or pictures FFmpeg reports as corrupt, and a stream that ends with fewer than half the frames
 * its container declares (count or duration × rate: a cut-off download, a WebM whose demuxer lost sync)
 * all raise {@link BadSampleException} naming the file.
 *
 * <p><b>Threads and memory.</b> Every call opens its own demuxer, decoder and scaler and frees them
 * before returning (also on error), so calls on different threads share nothing. The decoder runs
 * single-threaded: parallelism comes from the caller ({@link ClipLoader}'s workers). FFmpeg's own log
 * is silenced; {@code -Dsaccade.ffmpeg.log=warning} (or {@code error}) brings it back on stderr.
 *
 * <p>The bundled build decodes H.264, HEVC, VP8, VP9, AV1 (libaom), MPEG-4 part 2, MPEG-1/2, MJPEG,
 * Theora and most other FFmpeg video codecs, from MP4/MOV, Matroska/WebM, AVI, MPEG-TS, FLV and OGG.
 */
public final class VideoFileDecoder {

  static {
    String level = System.getProperty("saccade.ffmpeg.log", "quiet").strip().toLowerCase(Locale.ROOT);
    av_log_set_level(switch (level) {
      case "warning" -> AV_LOG_WARNING;
      case "error" -> AV_LOG_ERROR;
      default -> AV_LOG_QUIET;
    });
  }

  /** AVERROR(EAGAIN): the decoder wants more input before it can output a picture. */
  private static final int EAGAIN = AVERROR_EAGAIN();

  private VideoFileDecoder() {}

  /**
   * What a video file says about itself without decoding.
   *
   * @param width picture width in pixels
   * @param height picture height in pixels
   * @param codec the codec's FFmpeg name ({@code h264}, {@code vp9}, {@code mpeg4}, ...)
   * @param containerFrames frames the container declares ({@code nb_frames}), 0 when it does not say
   * @param framesPerSecond average frame rate, 0 when unknown
   * @param durationSeconds the container's duration, 0 when unknown
   */
  public record Info(int width, int height, String codec, long containerFrames, double framesPerSecond,
      double durationSeconds) {

    /** The declared frame count, else duration × frame rate rounded, else 0 (unknown). */
    public long estimatedFrames() {
      if (containerFrames > 0) {
        return containerFrames;
      }
      return durationSeconds > 0 && framesPerSecond > 0 ? Math.round(durationSeconds * framesPerSecond) : 0;
    }
  }

  /**
   * Decoded frames, by index.
   *
   * @param images the requested frames that exist, by 0-based index
   * @param decodedFrames pictures decoded (the highest requested index + 1, unless the stream ended first)
   * @param endOfStream the stream ended before the highest requested frame; then {@code decodedFrames} is
   *     the exact number of frames in the file
   * @param info what the file's header says
   */
  public record Frames(Map<Integer, RgbImage> images, int decodedFrames, boolean endOfStream, Info info) {
    public Frames {
      images = Map.copyOf(images);
    }

    /** Frame {@code index}, or null when the stream ended before it. */
    public RgbImage get(int index) {
      return images.get(index);
    }
  }

  /** Opens {@code file} and reads its header. */
  public static Info probe(Path file) throws BadSampleException {
    try (Input in = Input.open(file)) {
      return in.info();
    }
  }

  /**
   * The number of frames in {@code file}: the container's count when it has one, else the number of
   * video packets (a read of the whole file without decoding).
   */
  public static int countFrames(Path file) throws BadSampleException {
    try (Input in = Input.open(file)) {
      Info info = in.info();
      long declared = info.containerFrames();
      if (declared > 0) {
        return (int) Math.min(Integer.MAX_VALUE, declared);
      }
      int packets = 0;
      AVPacket pkt = av_packet_alloc();
      try {
        int ret;
        while ((ret = av_read_frame(in.format, pkt)) >= 0) {
          if (pkt.stream_index() == in.streamIndex) {
            packets++;
          }
          av_packet_unref(pkt);
        }
        if (ret != AVERROR_EOF) {
          throw new BadSampleException(in.name, "corrupt video: reading packet " + packets + " failed: " + error(ret));
        }
      } finally {
        av_packet_free(pkt);
      }
      in.checkComplete(packets, info);
      return packets;
    }
  }

  /**
   * Decodes the frames {@code indices} (0-based, any order, repeats allowed) of {@code file} to RGB,
   * decoding from the start up to the highest index.
   */
  public static Frames decode(Path file, int[] indices) throws BadSampleException {
    if (indices.length == 0) {
      throw new IllegalArgumentException("indices is empty: nothing to decode from " + file);
    }
    int[] wanted = Arrays.stream(indices).distinct().sorted().toArray();
    if (wanted[0] < 0) {
      throw new IllegalArgumentException("frame indices must be >= 0, got " + wanted[0] + " for " + file);
    }
    int last = wanted[wanted.length - 1];
    try (Input in = Input.open(file); Decoder dec = new Decoder(in)) {
      Info info = in.info();
      Map<Integer, RgbImage> images = new HashMap<>();
      int next = 0; // index of the next picture the decoder outputs
      int nextWanted = 0;
      AVPacket pkt = dec.packet;
      boolean draining = false;
      while (next <= last) {
        if (!draining) {
          int ret = av_read_frame(in.format, pkt);
          if (ret == AVERROR_EOF) {
            draining = true;
            avcodec_send_packet(dec.context, null); // flush: the decoder hands out its delayed pictures
          } else if (ret < 0) {
            throw new BadSampleException(in.name, "corrupt video: reading past frame " + next + " failed: " + error(ret));
          } else {
            try {
              if (pkt.stream_index() != in.streamIndex) {
                continue;
              }
              if ((pkt.flags() & AV_PKT_FLAG_CORRUPT) != 0) {
                throw new BadSampleException(in.name, "corrupt video: the packet after frame " + next + " is damaged (truncated file?)");
              }
              int sent = avcodec_send_packet(dec.context, pkt);
              if (sent < 0 && sent != EAGAIN) {
                throw new BadSampleException(in.name, "corrupt video: decoding after frame " + next + " failed: " + error(sent));
              }
            } finally {
              av_packet_unref(pkt);
            }
          }
        }
        // Take every picture the decoder has ready.
        while (next <= last) {
          int got = avcodec_receive_frame(dec.context, dec.frame);
          if (got == EAGAIN || got == AVERROR_EOF) {
            if (got == AVERROR_EOF || draining) {
              in.checkComplete(next, info);
              return new Frames(images, next, true, info);
            }
            break;
          }
          if (got < 0) {
            throw new BadSampleException(in.name, "corrupt video: decoding frame " + next + " failed: " + error(got));
          }
          if (nextWanted < wanted.length && wanted[nextWanted] == next) {
            images.put(next, dec.toRgb(in.name, next));
            nextWanted++;
          }
          next++;
        }
      }
      return new Frames(images, next, false, info);
    }
  }

  /** FFmpeg's message for error code {@code code}. */
  static String error(int code) {
    byte[] buf = new byte[256];
    if (av_strerror(code, buf, buf.length) < 0) {
      return "error " + code;
    }
    int n = 0;
    while (n < buf.length && buf[n] != 0) {
      n++;
    }
    return new String(buf, 0, n, java.nio.charset.StandardCharsets.UTF_8) + " (" + code + ")";
  }

  /** An open container and its best video stream. */
  private static final class Input implements AutoCloseable {
    final String name;
    final AVFormatContext format;
    final int streamIndex;

    private Input(String name, AVFormatContext format, int streamIndex) {
      this.name = name;
      this.format = format;
      this.streamIndex = streamIndex;
    }

    static Input open(Path file) throws BadSampleException {
      String name = file.toString();
      if (!Files.isRegularFile(file)) {
        throw new BadSampleException(name, "missing video (no such file)");
      }
      try {
        if (Files.size(file) == 0) {
          throw new BadSampleException(name, "empty video file (0 bytes)");
        }
      } catch (java.io.IOException e) {
        throw new BadSampleException(name, 0, "cannot read the video: " + e, e);
      }
      AVFormatContext format = new AVFormatContext(null);
      // "file:" so that a colon in the path is not taken for a protocol name.
      int ret = avformat_open_input(format, "file:" + file.toAbsolutePath(), null, (AVDictionary) null);
      if (ret < 0) {
        throw new BadSampleException(name, "not a readable video (" + error(ret) + ")");
      }
      boolean ok = false;
      try {
        ret = avformat_find_stream_info(format, (PointerPointer<?>) null);
        if (ret < 0) {
          throw new BadSampleException(name, "corrupt video: cannot read its streams (" + error(ret) + ")");
        }
        int stream = av_find_best_stream(format, AVMEDIA_TYPE_VIDEO, -1, -1, (AVCodec) null, 0);
        if (stream < 0) {
          throw new BadSampleException(name, "no video stream (" + format.nb_streams() + " other stream(s))");
        }
        ok = true;
        return new Input(name, format, stream);
      } finally {
        if (!ok) {
          avformat_close_input(format);
        }
      }
    }

    AVStream stream() {
      return format.streams(streamIndex);
    }

    Info info() {
      AVStream s = stream();
      AVCodecParameters par = s.codecpar();
      AVRational rate = s.avg_frame_rate();
      if (rate.num() <= 0 || rate.den() <= 0) {
        rate = s.r_frame_rate(); // FFmpeg's guess from the timestamps (Matroska often has no average)
      }
      double fps = rate.num() <= 0 || rate.den() <= 0 ? 0 : (double) rate.num() / rate.den();
      long d = format.duration(); // AV_TIME_BASE units, AV_NOPTS_VALUE (negative) when unknown
      return new Info(par.width(), par.height(), avcodec_get_name(par.codec_id()).getString(), Math.max(0, s.nb_frames()),
          fps, d > 0 ? d / 1e6 : 0);
    }

    /**
     * The stream ended cleanly after {@code frames} frames; {@code info} is {@link #info()}. Fewer than
     * half of what the container declares is a cut-off or damaged file (a demuxer that loses sync reports a clean end); smaller
     * gaps are normal (edit lists, rounding of the duration) and left to the caller.
     */
    void checkComplete(int frames, Info info) throws BadSampleException {
      if (frames == 0) {
        throw new BadSampleException(name, "no decodable video frames");
      }
      long expected = info.estimatedFrames();
      if (frames < expected / 2.0) {
        throw new BadSampleException(name, "truncated or corrupt video: the container declares " + expected
            + " frames, only " + frames + " can be read");
      }
    }

    @Override
    public void close() {
      avformat_close_input(format);
    }
  }

  /** A decoder for an {@link Input}'s video stream, with its packet, picture and RGB conversion. */
  private static final class Decoder implements AutoCloseable {
    final AVCodecContext context;
    final AVPacket packet;
    final AVFrame frame;
    private SwsContext sws;
    private BytePointer rgb;
    private int rgbStride;
    private final PointerPointer<BytePointer> dstData = new PointerPointer<>(1);
    private final IntPointer dstLinesize = new IntPointer(1);

    Decoder(Input in) throws BadSampleException {
      AVCodecParameters par = in.stream().codecpar();
      AVCodec codec = avcodec_find_decoder(par.codec_id());
      if (codec == null) {
        throw new BadSampleException(in.name, "this FFmpeg build has no decoder for codec '"
            + avcodec_get_name(par.codec_id()).getString() + "'");
      }
      context = avcodec_alloc_context3(codec);
      packet = av_packet_alloc();
      frame = av_frame_alloc();
      boolean ok = false;
      try {
        if (context == null || packet == null || frame == null) {
          throw new OutOfMemoryError("FFmpeg could not allocate a decoder for " + in.name);
        }
        int ret = avcodec_parameters_to_context(context, par);
        if (ret < 0) {
          throw new BadSampleException(in.name, "unusable codec parameters (" + error(ret) + ")");
        }
        context.thread_count(1);
        ret = avcodec_open2(context, codec, (AVDictionary) null);
        if (ret < 0) {
          throw new BadSampleException(in.name, "cannot open the " + codec.name().getString() + " decoder (" + error(ret) + ")");
        }
        ok = true;
      } finally {
        if (!ok) {
          close();
        }
      }
    }

    /** The current picture as RGB24, rows copied without FFmpeg's padding. */
    RgbImage toRgb(String name, int index) throws BadSampleException {
      int w = frame.width();
      int h = frame.height();
      if (w < 1 || h < 1) {
        throw new BadSampleException(name, "corrupt video: frame " + index + " is " + w + "x" + h);
      }
      sws = sws_getCachedContext(sws, w, h, frame.format(), w, h, AV_PIX_FMT_RGB24, SWS_BILINEAR, null, null, (DoublePointer) null);
      if (sws == null) {
        throw new BadSampleException(name, "cannot convert pixel format " + frame.format() + " of frame " + index + " to RGB");
      }
      // swscale's SIMD writes whole blocks of pixels: rows of a width rounded up to 32 pixels, aligned
      // to 64 bytes, and one spare row, or it writes past the buffer (heap corruption at width 40).
      int stride = ((((w + 31) & ~31) * 3) + 63) & ~63;
      long bytes = (long) stride * (h + 1);
      if (rgb == null || rgbStride != stride || rgb.capacity() < bytes) {
        if (rgb != null) {
          rgb.close();
        }
        rgb = new BytePointer(bytes);
        rgbStride = stride;
      }
      dstData.put(0, rgb);
      dstLinesize.put(0, stride);
      int rows = sws_scale(sws, frame.data(), frame.linesize(), 0, h, dstData, dstLinesize);
      if (rows != h) {
        throw new BadSampleException(name, "converting frame " + index + " to RGB gave " + rows + " of " + h + " rows");
      }
      byte[] out = new byte[w * h * 3];
      for (int y = 0; y < h; y++) {
        rgb.position((long) y * stride).get(out, y * w * 3, w * 3);
      }
      rgb.position(0);
      return new RgbImage(w, h, out);
    }

    @Override
    public void close() {
      if (sws != null) {
        sws_freeContext(sws);
        sws = null;
      }
      if (rgb != null) {
        rgb.close();
      }
      dstData.close();
      dstLinesize.close();
      if (frame != null) {
        av_frame_free(frame);
      }
      if (packet != null) {
        av_packet_free(packet);
      }
      if (context != null) {
        avcodec_free_context(context);
      }
    }
  }
}
