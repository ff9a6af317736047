package hostproxy

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"

	"google.golang.org/grpc"
)

// Answer handles a call to Wrapper.Method, whose first message it is given. It reports
// handled=false to have the call forwarded to the inner host, that message first.
type Answer func(inner *Inner, stream grpc.ServerStream, first Frame) (handled bool, err error)

// Wrapper is a language host that starts an older one beside it and forwards every call to it,
// except Method, which goes to Answer first.
type Wrapper struct {
	// Name is the command's name, which begins its errors.
	Name string
	// InnerLabel names the inner host in errors ("Node.js host").
	InnerLabel string
	// InnerPath is where the inner host is, relative to this executable's folder.
	InnerPath string
	// Method is the full gRPC name of the call Answer sees.
	Method string
	Answer Answer
}

// Main runs the wrapper as the CLI starts any language host (`<name> [flags...] <engine address>`:
// all of them are handed to the inner host as they are) and exits when it or the inner host ends.
//
// Example:
//
//	func main() {
//		hostproxy.Wrapper{Name: "pulumi-language-go", InnerLabel: "Go host", InnerPath: innerHostPath,
//			Method: pulumirpc.LanguageRuntime_Run_FullMethodName, Answer: runWithBinary}.Main()
//	}
func (w Wrapper) Main() {
	if err := w.run(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", w.Name, err)
		os.Exit(1)
	}
}

func (w Wrapper) run() error {
	self, err := os.Executable()
	if err != nil {
		return err
	}
	inner, err := StartInner(w.InnerLabel, filepath.Join(filepath.Dir(self), w.InnerPath), os.Args[1:])
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	server := grpc.NewServer(
		grpc.ForceServerCodec(rawCodec{}),
		grpc.MaxRecvMsgSize(MaxMessageSize),
		grpc.UnknownServiceHandler(w.handler(inner)),
	)
	// The CLI reads the port from the first line of a plugin's standard output.
	fmt.Printf("%d\n", listener.Addr().(*net.TCPAddr).Port)

	served := make(chan error, 1)
	go func() { served <- server.Serve(listener) }()
	exited := make(chan error, 1)
	go func() { exited <- inner.Cmd.Wait() }()
	select {
	case err := <-served:
		_ = inner.Cmd.Process.Kill()
		return err
	case err := <-exited:
		// The CLI ends a language host by killing it; the inner host ending first is the same signal.
		server.Stop()
		if exitErr, ok := err.(*exec.ExitError); ok {
			os.Exit(exitErr.ExitCode())
		}
		return err
	}
}

// handler forwards every call to `inner`, except Method, whose first message Answer sees first.
func (w Wrapper) handler(inner *Inner) grpc.StreamHandler {
	return func(_ any, stream grpc.ServerStream) error {
		method, _ := grpc.MethodFromServerStream(stream)
		if method != w.Method {
			return Forward(inner.Conn, stream, method, nil)
		}
		var first Frame
		if err := stream.RecvMsg(&first); err != nil {
			return err
		}
		if handled, err := w.Answer(inner, stream, first); handled {
			return err
		}
		return Forward(inner.Conn, stream, method, []Frame{first})
	}
}
