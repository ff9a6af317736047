package main

import (
	"context"
	"errors"
	"io"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
)

// maxMessageSize matches the CLI's own limit for plugin messages (large programs send large requests).
const maxMessageSize = 400 * 1024 * 1024

func insecureCredentials() credentials.TransportCredentials { return insecure.NewCredentials() }

// frame is one gRPC message left encoded: the forwarder never needs to know what it says.
type frame []byte

// rawCodec moves encoded messages as they are. It keeps the name "proto" so that both sides see the
// content type they expect.
type rawCodec struct{}

func (rawCodec) Name() string { return "proto" }

func (rawCodec) Marshal(v any) ([]byte, error) { return *(v.(*frame)), nil }

func (rawCodec) Unmarshal(data []byte, v any) error {
	*(v.(*frame)) = append([]byte(nil), data...)
	return nil
}

// forwarder hands every call to the v3.66.0 host, except a Run that names a binary (run.go).
type forwarder struct {
	inner *grpc.ClientConn
	// innerPath and args start another v3.66.0 host as the first one was started.
	innerPath string
	args      []string
}

func newForwarder(inner *grpc.ClientConn, innerPath string, args []string) *forwarder {
	return &forwarder{inner: inner, innerPath: innerPath, args: args}
}

func (f *forwarder) handle(_ any, stream grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(stream)
	if method == pulumirpc.LanguageRuntime_Run_FullMethodName {
		var first frame
		if err := stream.RecvMsg(&first); err != nil {
			return err
		}
		binary, err := binaryOf(first)
		if err != nil {
			return err
		}
		if binary != "" {
			return f.runBinary(stream, method, first, binary)
		}
		return forward(f.inner, stream, method, []frame{first})
	}
	return forward(f.inner, stream, method, nil)
}

// forward relays one call to `inner`, in both directions, with its metadata, headers, trailers and
// status. `received` holds messages already read from the caller, sent on first.
func forward(inner *grpc.ClientConn, stream grpc.ServerStream, method string, received []frame) error {
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
			var message frame
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
		var message frame
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
