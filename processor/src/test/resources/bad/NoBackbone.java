package bad;

import io.saccade.dsl.*;

@VideoNetwork(frames = 8, classes = 174)
interface NoBackbone {}
