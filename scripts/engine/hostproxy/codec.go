// Package hostproxy is what the language hosts in scripts/engine/nodehost and scripts/engine/gohost
// share: each starts an older host beside it and forwards every call to it unchanged, byte for
// byte, except the one call it answers itself.
package hostproxy

import (
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

// MaxMessageSize matches the CLI's own limit for plugin messages (large programs send large requests).
const MaxMessageSize = 400 * 1024 * 1024

func insecureCredentials() credentials.TransportCredentials { return insecure.NewCredentials() }

// Frame is one gRPC message left encoded: the forwarder never needs to know what it says. A wrapper
// decodes the first Frame of the call it answers, and sends its own answers as Frames.
//
// Example:
//
//	encoded, _ := proto.Marshal(response)
//	message := hostproxy.Frame(encoded)
//	err := stream.SendMsg(&message)
type Frame []byte

// rawCodec moves encoded messages as they are. It keeps the name "proto" so that both sides see the
// content type they expect.
type rawCodec struct{}

func (rawCodec) Name() string { return "proto" }

func (rawCodec) Marshal(v any) ([]byte, error) { return *(v.(*Frame)), nil }

func (rawCodec) Unmarshal(data []byte, v any) error {
	*(v.(*Frame)) = append([]byte(nil), data...)
	return nil
}
