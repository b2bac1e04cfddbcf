/**
 * Annotations that declare an adaptive video-recognition network. Put them on an interface (or a
 * class); at compile time the Saccade annotation processor checks the declaration, computes each
 * stage's shapes, parameters and FLOPs, and writes a {@code <Type>Network} class that builds the
 * TensorFlow graph.
 *
 * <p>Three families are declared the same way:
 *
 * <pre>{@code
 * // a dense baseline (TSN; TSM with temporalShift = true)
 * @VideoNetwork(frames = 8, classes = 174)
 * @Backbone(Backbones.RESNET50)
 * interface TsnResNet50 {}
 *
 * // AFNet: ample + focal branches and a navigation module in stages 1-3
 * @VideoNetwork(frames = 12, classes = 174)
 * @Backbone(value = Backbones.RESNET50, temporalShift = true)
 * @AmpleBranch
 * @FocalBranch(groups = 2)
 * @Navigation(targetRatio = 0.5)
 * interface AfResNet50Tsm {}
 *
 * // AdaFocusV2: a global encoder, a patch policy and a local encoder
 * @VideoNetwork(frames = 16, classes = 200)
 * @GlobalEncoder(backbone = Backbones.MOBILENET_V2)
 * @PatchPolicy(patchSize = 128)
 * @LocalEncoder(backbone = Backbones.RESNET50)
 * interface AdaFocusV2Mn2R50 {}
 * }</pre>
 *
 * <p>This package has no dependencies; the annotations are kept in class files ({@code CLASS}
 * retention) but are not needed at run time.
 */
package io.saccade.dsl;
