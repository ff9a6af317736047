package main

import (
	"fmt"
	"path/filepath"

	"pulumi-cloudflare-sharing/engine/hostproxy"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// binaryOf returns the program binary that `first` (an encoded RunRequest) names in its runtime
// options (`runtime: { name: go, options: { binary: <path> } }` in Pulumi.yaml), made absolute
// against the program's directory, or "" when it names none.
func binaryOf(first hostproxy.Frame) (string, error) {
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
// builds; the host ends with the call. A Run that names none is left to the first v3.66.0 host.
func runBinary(inner *hostproxy.Inner, stream grpc.ServerStream, first hostproxy.Frame) (handled bool, err error) {
	binary, err := binaryOf(first)
	if err != nil || binary == "" {
		return err != nil, err
	}
	host, err := inner.StartAnother("-binary=" + binary)
	if err != nil {
		return true, fmt.Errorf("running %s: %w", binary, err)
	}
	defer host.Stop()
	return true, hostproxy.Forward(host.Conn, stream, pulumirpc.LanguageRuntime_Run_FullMethodName, []hostproxy.Frame{first})
}
