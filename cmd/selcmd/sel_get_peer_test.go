package selcmd
