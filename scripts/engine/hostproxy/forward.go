package hostproxy

import (
	"context"
	"errors"
	"io"

	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// Forward relays one call to `inner`, in both directions, with its metadata, headers, trailers and
// status. `received` holds messages already read from the caller, sent on first.
//
// Example (a call whose first message a wrapper read and chose not to answer):
//
//	return hostproxy.Forward(inner.Conn, stream, method, []hostproxy.Frame{first})
func Forward(inner *grpc.ClientConn, stream grpc.ServerStream, method string, received []Frame) error {
	ctx, cancel := context.WithCancel(stream.Context())
	defer cancel()
	if md, ok := metadata.FromIncomingContext(ctx); ok {
		ctx = metadata.NewOutgoingContext(ctx, md.Copy())
	}
	desc := &grpc.StreamDesc{ServerStreams: true, ClientStreams: true}
	upstream, err := inner.NewStream(ctx, desc, method)
	if err != nil {
		return err
	}

	go func() {
		for i := range received {
			if err := upstream.SendMsg(&received[i]); err != nil {
				return
			}
		}
		for {
			var message Frame
			if err := stream.RecvMsg(&message); err != nil {
				if errors.Is(err, io.EOF) {
					_ = upstream.CloseSend()
				} else {
					cancel()
				}
				return
			}
			if err := upstream.SendMsg(&message); err != nil {
				return
			}
		}
	}()

	headerSent := false
	for {
		var message Frame
		err := upstream.RecvMsg(&message)
		if !headerSent {
			if header, headerErr := upstream.Header(); headerErr == nil {
				_ = stream.SendHeader(header)
			}
			headerSent = true
		}
		if err != nil {
			stream.SetTrailer(upstream.Trailer())
			if errors.Is(err, io.EOF) {
				return nil
			}
			// The inner host's status (code and message) goes back unchanged.
			return err
		}
		if err := stream.SendMsg(&message); err != nil {
			return err
		}
	}
}
