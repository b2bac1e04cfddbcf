package io.saccade.runtime.blocks;

import io.saccade.runtime.interop.OfficialAfNetKeys;
import io.saccade.runtime.nn.BuildContext;
import io.saccade.runtime.nn.Mode;
import io.saccade.runtime.nn.Pooling;
import io.saccade.runtime.nn.Linear;
import io.saccade.runtime.testing.TfTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.*;
import org.junit.jupiter.api.Test;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

class ScratchParityTest {
  static float[] read(Path p) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p)).order(ByteOrder.LITTLE_ENDIAN);
    float[] f = new float[b.remaining() / 4];
    b.asFloatBuffer().get(f);
    return f;
  }
  static long[] shape(String json, String key) {
    int i = json.indexOf("\"" + key + "\": [");
    String s = json.substring(json.indexOf('[', i) + 1, json.indexOf(']', i));
    return Arrays.stream(s.split(",")).map(String::trim).mapToLong(Long::parseLong).toArray();
  }
  static float[] oihwToHwio(float[] a, long[] s) {
    int o=(int)s[0], in=(int)s[1], h=(int)s[2], w=(int)s[3];
    float[] r = new float[a.length];
    for (int oo=0;oo<o;oo++) for(int ii=0;ii<in;ii++) for(int hh=0;hh<h;hh++) for(int ww=0;ww<w;ww++)
      r[((hh*w+ww)*in+ii)*o+oo] = a[((oo*in+ii)*h+hh)*w+ww];
    return r;
  }
  static float[] transpose2(float[] a, long[] s) {
    int o=(int)s[0], in=(int)s[1]; float[] r=new float[a.length];
    for(int i=0;i<o;i++) for(int j=0;j<in;j++) r[j*o+i]=a[i*in+j];
    return r;
  }
  static float[] nchwToNhwc(float[] a, long[] s) {
    int n=(int)s[0], c=(int)s[1], h=(int)s[2], w=(int)s[3]; float[] r=new float[a.length];
    for(int nn=0;nn<n;nn++) for(int cc=0;cc<c;cc++) for(int hh=0;hh<h;hh++) for(int ww=0;ww<w;ww++)
      r[((nn*h+hh)*w+ww)*c+cc]=a[((nn*c+cc)*h+hh)*w+ww];
    return r;
  }

  @Test
  void parity() throws Exception {
    for (String name : List.of("afnet-r50-s0", "afnet-r50-tsm-s1")) {
      Path dir = Path.of("/tmp/fx/" + name);
      if (!Files.isDirectory(dir)) return;
      boolean tsm = name.contains("tsm");
      String json = Files.readString(dir.resolve("shapes.json"));
      try (TfTest t = TfTest.create()) {
        Ops tf = t.tf();
        var input = t.placeholder(16, 64, 64, 3);
        BuildContext ctx = t.ctx(Mode.INFERENCE);
        Operand<TFloat32> tau = tf.constant(1f);
        Operand<TFloat32> x = ResNet.stem(ctx.child("stem"), input);
        Operand<TFloat32> stem = x;
        List<Operand<TFloat32>> masks = new ArrayList<>();
        List<Operand<TFloat32>> stages = new ArrayList<>();
        int[][] cfg = {{3, 64, 256, 2}, {4, 256, 512, 2}, {6, 512, 1024, 1}};
        for (int s = 0; s < 3; s++) {
          AfStage.Result r = AfStage.build(ctx.child("stage" + (s + 1)), x,
              new AfStageSpec(cfg[s][0], cfg[s][1], cfg[s][2], 2, 2, cfg[s][3], 8, tsm, NavigationSpec.official(0.5f)), tau);
          x = r.output();
          stages.add(x);
          r.selections().forEach(sel -> masks.add(sel.mask()));
        }
        for (int b = 0; b < 3; b++) {
          BottleneckSpec spec = BottleneckSpec.of(512, 2048).withShortcut(BottleneckSpec.Shortcut.AVG_POOL_CONV).withStride(b == 0 ? 2 : 1);
          if (tsm) spec = spec.withTemporalShift(8);
          x = ResNet.bottleneck(ctx.child("stage4").child("block" + b), x, spec);
        }
        Operand<TFloat32> logits = Linear.builder(10).build(ctx.child("head").child("fc"), Pooling.globalAvgPool(tf, x));
        // load weights
        Map<Operand<?>, float[]> feeds = new LinkedHashMap<>();
        List<Op> assigns = new ArrayList<>();
        Set<String> loaded = new HashSet<>();
        try (var files = Files.list(dir)) {
          for (Path p : files.filter(p -> p.getFileName().toString().startsWith("w_")).toList()) {
            String key = p.getFileName().toString().substring(2).replace(".f32", "");
            long[] s = shape(json, key);
            var target = OfficialAfNetKeys.target(key, s.length);
            if (target.isEmpty()) continue;
            float[] v = read(p);
            if (target.get().layout() == OfficialAfNetKeys.Layout.CONV_OIHW_TO_HWIO) v = oihwToHwio(v, s);
            if (target.get().layout() == OfficialAfNetKeys.Layout.LINEAR_TRANSPOSE) v = transpose2(v, s);
            var param = t.store().get(target.get().parameter());
            var ph = t.placeholder(param.shape().asArray());
            feeds.put(ph, v);
            assigns.add(tf.assign(param.variable(), ph));
            loaded.add(target.get().parameter());
          }
        }
        for (var p : t.store().all()) if (!loaded.contains(p.name())) System.out.println("NOT LOADED " + p.name());
        System.out.println(name + ": loaded " + loaded.size() + " of " + t.store().all().size());
        Session.Runner r = t.session().runner();
        List<org.tensorflow.Tensor> ts = new ArrayList<>();
        for (var e : feeds.entrySet()) { var tt = TFloat32.tensorOf(e.getKey().shape(), DataBuffers.of(e.getValue())); ts.add(tt); r.feed(e.getKey(), tt); }
        assigns.forEach(r::addTarget);
        r.run();
        ts.forEach(org.tensorflow.Tensor::close);
        float[] clips = nchwToNhwc(read(dir.resolve("in_clips.f32")), new long[]{16,3,64,64});
        List<Operand<?>> fetch = new ArrayList<>();
        fetch.add(logits); fetch.add(stem); fetch.addAll(stages); fetch.addAll(masks);
        List<float[]> out = t.evalAll(Map.of(input, clips), fetch);
        float[] expLogits = read(dir.resolve("exp_frame_logits.f32"));
        double md = 0, mx = 0; for (int i=0;i<expLogits.length;i++){ md=Math.max(md,Math.abs(expLogits[i]-out.get(0)[i])); mx=Math.max(mx,Math.abs(expLogits[i]));}
        System.out.println(name + " logits max diff " + md + " (max |logit| " + mx + ")");
        String[] sn = {"stem","layer1","layer2","layer3"};
        for (int s=0;s<4;s++){ float[] e = read(dir.resolve("exp_"+sn[s]+".f32")); e = nchwToNhwc(e, shape(json, "exp:"+sn[s]));
          double d=0; for(int i=0;i<e.length;i++) d=Math.max(d,Math.abs(e[i]-out.get(1+s)[i])); System.out.println("  " + sn[s] + " max diff " + d);}
        for (int m=0;m<10;m++){ float[] e = read(dir.resolve(String.format("exp_mask_%02d.f32", m))); float[] g = out.get(5+m);
          System.out.println("  mask " + m + " exp " + Arrays.toString(e) + "\n         got " + Arrays.toString(g)); }
      }
    }
  }
}
