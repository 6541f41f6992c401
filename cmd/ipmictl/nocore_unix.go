//go:build unix

package main

import "syscall"

// The process holds the BMC password, K_g and session keys in memory: a
// core dump would write them to disk, so ipmictl never dumps core.
func init() { syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{Cur: 0, Max: 0}) }
