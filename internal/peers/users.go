package peers

// The lab's accounts (testdata/ipmisim/lan.conf.in).
const (
	AdminUser        = "admin" // user 2, ADMINISTRATOR
	AdminPassword    = "password"
	OperatorUser     = "operator" // user 3, OPERATOR
	OperatorPassword = "oppass"
	PlainUser        = "user" // user 4, USER
	PlainPassword    = "userpass"
	DisabledUser     = "olduser" // user 5, disabled
	DisabledPassword = "oldpass"
)
