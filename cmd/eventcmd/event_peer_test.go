package eventcmd
