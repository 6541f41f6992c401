package mccmd
