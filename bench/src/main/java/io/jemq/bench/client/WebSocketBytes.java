package io.jemq.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.MessageToMessageCodec;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

import java.io.IOException;
import java.util.List;

/**
 * Makes a WebSocket look like a byte stream to the MQTT handlers behind it: binary and continuation frames in become
 * their bytes (an MQTT packet may span frames, {@link FrameReader} joins them), every buffer out becomes one binary
 * frame. Close, ping and pong frames are answered by Netty's protocol handler in front of this one.
 *
 * <p>{@code channelActive} is held back until the upgrade has completed, so the client's CONNECT is never written
 * before the server has switched protocols.
 */
final class WebSocketBytes extends MessageToMessageCodec<WebSocketFrame, ByteBuf> {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        // passed on at HANDSHAKE_COMPLETE
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            ctx.fireChannelActive();
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            // Netty closes the channel next; this says why
            ctx.fireExceptionCaught(new IOException("no answer to the WebSocket upgrade request"));
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf bytes, List<Object> out) {
        out.add(new BinaryWebSocketFrame(bytes.retain()));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof BinaryWebSocketFrame || frame instanceof ContinuationWebSocketFrame) {
            out.add(frame.content().retain());
        } else if (frame instanceof TextWebSocketFrame) {
            throw new DecoderException("the broker sent a text frame; MQTT travels in binary frames");
        }
    }
}
