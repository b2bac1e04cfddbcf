package io.saccade.runtime.data;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_QSCALE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_rescale_ts;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_alloc_context3;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_encoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_free_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_open2;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_from_context;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_receive_packet;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_send_frame;
import static org.bytedeco.ffmpeg.global.avformat.AVFMT_GLOBALHEADER;
import static org.bytedeco.ffmpeg.global.avformat.AVIO_FLAG_WRITE;
import static org.bytedeco.ffmpeg.global.avformat.av_interleaved_write_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_write_trailer;
import static org.bytedeco.ffmpeg.global.avformat.avformat_alloc_output_context2;
import static org.bytedeco.ffmpeg.global.avformat.avformat_free_context;
import static org.bytedeco.ffmpeg.global.avformat.avformat_new_stream;
import static org.bytedeco.ffmpeg.global.avformat.avformat_write_header;
import static org.bytedeco.ffmpeg.global.avformat.avio_closep;
import static org.bytedeco.ffmpeg.global.avformat.avio_open;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGB24;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_get_buffer;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_make_writable;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_opt_set;
import static org.bytedeco.ffmpeg.global.swscale.SWS_BILINEAR;
import static org.bytedeco.ffmpeg.global.swscale.sws_freeContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_getContext;
import static org.bytedeco.ffmpeg.global.swscale.sws_scale;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVIOContext;
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
 * Writes video files with the FFmpeg build the runtime decodes with: {@code mpeg4} (MPEG-4 part 2, in
 * .mp4 / .avi; near-lossless at q = 2), {@code libvpx} / {@code libvpx-vp9} (VP8 / VP9, in .webm),
 * {@code libopenh264} (H.264, in .mp4 / .mkv), {@code mjpeg}. The container follows the file's extension.
 * Frames are given pixel by pixel as {@code 0xRRGGBB}, converted to YUV 4:2:0 and encoded at 25 frames/s.
 * Each call has its own FFmpeg contexts and frees them: safe from several threads.
 *
 * <pre>{@code
 * VideoFileEncoder.write(dir.resolve("a.mp4"), "mpeg4", 64, 48, 20, (t, x, y) -> t * 12 << 16);
 * }</pre>
 */
public final class VideoFileEncoder {

  /** The colour {@code 0xRRGGBB} of pixel (x, y) of frame t. */
  @FunctionalInterface
  public interface Painter {
    int rgb(int t, int x, int y);
  }

  static {
    av_log_set_level(AV_LOG_ERROR); // the encoders' banners are not a user's output
  }

  private VideoFileEncoder() {}

  /** Encodes {@code frames} frames of {@code width × height} at 25 frames/s; the container follows the extension. */
  public static void write(Path file, String encoder, int width, int height, int frames, Painter painter)
      throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    AVCodec codec = avcodec_find_encoder_by_name(encoder);
    if (codec == null) {
      throw new IllegalArgumentException("this FFmpeg build has no encoder '" + encoder + "'");
    }
    AVFormatContext oc = new AVFormatContext(null);
    check(avformat_alloc_output_context2(oc, null, null, file.toString()), "choose a container for " + file);
    AVCodecContext c = avcodec_alloc_context3(codec);
    AVFrame frame = av_frame_alloc();
    AVPacket pkt = av_packet_alloc();
    SwsContext sws = null;
    boolean opened = false;
    try {
      AVStream st = avformat_new_stream(oc, null);
      AVRational tb = new AVRational().num(1).den(25);
      c.width(width).height(height).pix_fmt(AV_PIX_FMT_YUV420P).time_base(tb).gop_size(10);
      c.framerate(new AVRational().num(25).den(1));
      if (encoder.equals("mpeg4") || encoder.equals("mjpeg")) {
        c.flags(c.flags() | AV_CODEC_FLAG_QSCALE).global_quality(2 * 118); // q = 2: near lossless
      } else {
        c.bit_rate(2_000_000);
      }
      if (encoder.startsWith("libvpx")) {
        av_opt_set(c.priv_data(), "deadline", "realtime", 0);
        av_opt_set(c.priv_data(), "cpu-used", "8", 0);
      }
      if ((oc.oformat().flags() & AVFMT_GLOBALHEADER) != 0) {
        c.flags(c.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
      }
      check(avcodec_open2(c, codec, (AVDictionary) null), "open encoder " + encoder);
      check(avcodec_parameters_from_context(st.codecpar(), c), "copy encoder parameters");
      st.time_base(tb);
      AVIOContext pb = new AVIOContext(null);
      check(avio_open(pb, "file:" + file.toAbsolutePath(), AVIO_FLAG_WRITE), "create " + file);
      oc.pb(pb);
      opened = true;
      check(avformat_write_header(oc, (AVDictionary) null), "write the header of " + file);

      frame.format(AV_PIX_FMT_YUV420P).width(width).height(height);
      check(av_frame_get_buffer(frame, 0), "allocate a frame");
      sws = sws_getContext(width, height, AV_PIX_FMT_RGB24, width, height, AV_PIX_FMT_YUV420P, SWS_BILINEAR, null, null,
          (DoublePointer) null);
      byte[] rgb = new byte[width * height * 3];
      try (BytePointer src = new BytePointer((long) rgb.length);
          PointerPointer<BytePointer> srcData = new PointerPointer<>(1);
          IntPointer srcStride = new IntPointer(1)) {
        srcData.put(0, src);
        srcStride.put(0, width * 3);
        for (int t = 0; t < frames; t++) {
          for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
              int p = painter.rgb(t, x, y);
              int o = (y * width + x) * 3;
              rgb[o] = (byte) (p >> 16);
              rgb[o + 1] = (byte) (p >> 8);
              rgb[o + 2] = (byte) p;
            }
          }
          src.position(0).put(rgb);
          check(av_frame_make_writable(frame), "make the frame writable");
          sws_scale(sws, srcData, srcStride, 0, height, frame.data(), frame.linesize());
          frame.pts(t);
          check(avcodec_send_frame(c, frame), "encode frame " + t);
          drain(oc, c, st, pkt);
        }
      }
      check(avcodec_send_frame(c, null), "flush the encoder");
      drain(oc, c, st, pkt);
      check(av_write_trailer(oc), "finish " + file);
    } finally {
      if (sws != null) {
        sws_freeContext(sws);
      }
      av_packet_free(pkt);
      av_frame_free(frame);
      avcodec_free_context(c);
      if (opened) {
        avio_closep(oc.pb());
      }
      avformat_free_context(oc);
    }
  }

  private static void drain(AVFormatContext oc, AVCodecContext c, AVStream st, AVPacket pkt) throws IOException {
    while (true) {
      int ret = avcodec_receive_packet(c, pkt);
      if (ret == AVERROR_EOF || ret == -11 /* EAGAIN */) {
        return;
      }
      check(ret, "receive a packet");
      if (pkt.duration() == 0) {
        pkt.duration(1); // one frame; without it MP4's edit list ends before the last frame
      }
      av_packet_rescale_ts(pkt, c.time_base(), st.time_base());
      pkt.stream_index(st.index());
      int w = av_interleaved_write_frame(oc, pkt);
      av_packet_unref(pkt);
      check(w, "write a packet");
    }
  }

  private static void check(int ret, String what) throws IOException {
    if (ret < 0) {
      throw new IOException("FFmpeg could not " + what + ": " + VideoFileDecoder.error(ret));
    }
  }
}
