package main

import (
	"fmt"
	"path/filepath"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// binaryOf returns the program binary that `first` (an encoded RunRequest) names in its runtime
// options (`runtime: { name: go, options: { binary: <path> } }` in Pulumi.yaml), made absolute
// against the program's directory, or "" when it names none.
func binaryOf(first frame) (string, error) {
	var req pulumirpc.RunRequest
	if err := proto.Unmarshal(first, &req); err != nil {
		return "", status.Errorf(codes.InvalidArgument, "decoding RunRequest: %v", err)
	}
	binary, _ := req.GetInfo().GetOptions().AsMap()["binary"].(string)
	if binary == "" || filepath.IsAbs(binary) {
		return binary, nil
	}
	dir := req.GetInfo().GetProgramDirectory()
	if dir == "" {
		dir = req.GetPwd()
	}
	return filepath.Join(dir, binary), nil
}

// runBinary answers a Run that names a binary: a v3.66.0 host started for it with `-binary` (the
// flag through which that host takes the option) runs the program, with the environment it always
// builds; the host ends with the call.
func (f *forwarder) runBinary(stream grpc.ServerStream, method string, first frame, binary string) error {
	inner, conn, err := startInnerHost(f.innerPath, append([]string{"-binary=" + binary}, f.args...))
	if err != nil {
		return fmt.Errorf("running %s: %w", binary, err)
	}
	defer func() {
		_ = conn.Close()
		_ = inner.Process.Kill()
		_ = inner.Wait()
	}()
	return forward(conn, stream, method, []frame{first})
}
