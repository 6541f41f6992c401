package simcmd
