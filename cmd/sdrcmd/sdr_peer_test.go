package sdrcmd
