package execcmd
