package solcmd
