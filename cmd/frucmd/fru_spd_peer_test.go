package frucmd
