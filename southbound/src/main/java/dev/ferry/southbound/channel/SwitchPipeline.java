package dev.ferry.southbound.channel;

import io.netty.channel.ChannelPipeline;

/** The handlers of one switch connection, in order. Shared by the server and the tests. */
public final class SwitchPipeline {
  private SwitchPipeline() {}

  public static void install(ChannelPipeline pipeline, SouthboundContext context) {
    pipeline.addLast("frame", new OFFrameDecoder(context.config().maxMessageSize()));
    pipeline.addLast("decode", new OFMessageDecoder());
    pipeline.addLast("encode", new OFMessageEncoder());
    pipeline.addLast("switch", new SwitchChannelHandler(context));
  }
}
