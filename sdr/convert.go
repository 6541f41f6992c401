package sdr

import "math"

// Linearization functions (full record byte 24).
const (
	LinLinear  = 0x00
	LinLn      = 0x01
	LinLog10   = 0x02
	LinLog2    = 0x03
	LinE       = 0x04
	LinExp10   = 0x05
	LinExp2    = 0x06
	LinInverse = 0x07
	LinSqr     = 0x08
	LinCube    = 0x09
	LinSqrt    = 0x0A
	LinCubeRt  = 0x0B
	LinNonLin  = 0x70 // 70h-7Fh: non-linear, factors from Get Sensor Reading Factors
)

// Factors are the conversion factors of a full sensor record:
// y = L[(M*x + B*10^Bexp) * 10^Rexp] in the record's units.
type Factors struct {
	Format        uint8 // analog data format
	Linearization uint8
	M             int16 // signed 10 bits
	B             int16 // signed 10 bits
	BExp          int8  // signed 4 bits (K1)
	RExp          int8  // signed 4 bits (K2)
	Tolerance     uint8 // 6 bits, in +/- half raw counts
	Accuracy      uint16
	AccuracyExp   uint8
}

// signExtend interprets the low bits of v as a two's complement number.
func signExtend(v int, bits uint) int {
	m := 1 << (bits - 1)
	v &= 1<<bits - 1
	return (v ^ m) - m
}

// decodeFactors reads units 1 (for the format) and bytes 23..29 of a full
// record (linearization, M, tolerance, B, accuracy, exponents).
func decodeFactors(units1 uint8, b []byte) Factors {
	return Factors{
		Format:        units1 >> 6,
		Linearization: b[0] & 0x7f,
		M:             int16(signExtend(int(b[1])|int(b[2]>>6)<<8, 10)),
		Tolerance:     b[2] & 0x3f,
		B:             int16(signExtend(int(b[3])|int(b[4]>>6)<<8, 10)),
		Accuracy:      uint16(b[4]&0x3f) | uint16(b[5]>>4)<<6,
		AccuracyExp:   (b[5] >> 2) & 3,
		RExp:          int8(signExtend(int(b[6]>>4), 4)),
		BExp:          int8(signExtend(int(b[6]&0xf), 4)),
	}
}

// pow10 returns 10^e for the exponents a 4-bit field allows, as the
// correctly rounded constants C's pow() returns, so conversions print the
// same digits as ipmitool's.
func pow10(e int8) float64 {
	if e >= -8 && e <= 7 {
		return pow10tab[e+8]
	}
	return math.Pow(10, float64(e))
}

var pow10tab = [...]float64{1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1,
	1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7}

// signedRaw applies the analog data format to a raw byte. ok is false for
// sensors without an analog reading.
func (f *Factors) signedRaw(raw uint8) (x float64, ok bool) {
	switch f.Format {
	case FormatUnsigned:
		return float64(raw), true
	case FormatOnesCompl:
		// ipmitool adds one to negative values, turning one's complement
		// into two's complement (and -0, 0xFF, into 0).
		if raw&0x80 != 0 {
			raw++
		}
		return float64(int8(raw)), true
	case FormatTwosCompl:
		return float64(int8(raw)), true
	}
	return 0, false
}

// Linearize applies the linearization function L to y.
func Linearize(lin uint8, y float64) float64 {
	switch lin & 0x7f {
	case LinLn:
		return math.Log(y)
	case LinLog10:
		return math.Log10(y)
	case LinLog2:
		return math.Log(y) / math.Log(2)
	case LinE:
		return math.Exp(y)
	case LinExp10:
		return math.Pow(10, y)
	case LinExp2:
		return math.Pow(2, y)
	case LinInverse:
		return 1 / y
	case LinSqr:
		return y * y
	case LinCube:
		return y * y * y
	case LinSqrt:
		return math.Sqrt(y)
	case LinCubeRt:
		return math.Cbrt(y)
	}
	return y
}

// Convert turns a raw reading or threshold into a value in the sensor's
// units. ok is false for sensors without an analog format.
func (f *Factors) Convert(raw uint8) (v float64, ok bool) {
	x, ok := f.signedRaw(raw)
	if !ok {
		return 0, false
	}
	y := (float64(f.M)*x + float64(f.B)*pow10(f.BExp)) * pow10(f.RExp)
	return Linearize(f.Linearization, y), true
}

// ConvertHysteresis converts a raw hysteresis value: M and Rexp apply, B
// does not (a hysteresis is a difference of readings).
func (f *Factors) ConvertHysteresis(raw uint8) (float64, bool) {
	x, ok := f.signedRaw(raw)
	if !ok {
		return 0, false
	}
	return Linearize(f.Linearization, float64(f.M)*x*pow10(f.RExp)), true
}

// ConvertTolerance converts the record's tolerance (in half raw counts)
// to the sensor's units.
func (f *Factors) ConvertTolerance() (float64, bool) {
	x, ok := f.signedRaw(f.Tolerance)
	if !ok {
		return 0, false
	}
	return Linearize(f.Linearization, float64(f.M)*(x/2)*pow10(f.RExp)), true
}

// AccuracyPercent is the accuracy in percent: Accuracy * 10^AccuracyExp / 100.
func (f *Factors) AccuracyPercent() float64 {
	return float64(f.Accuracy) * math.Pow(10, float64(f.AccuracyExp)) / 100
}

// ToRaw converts a value in the sensor's units back to the raw byte Set
// Sensor Thresholds needs, for linear sensors, rounding as ipmitool does.
// ok is false when the sensor has no analog format or M is zero.
func (f *Factors) ToRaw(v float64) (raw uint8, ok bool) {
	if f.Format == FormatNoAnalog || f.M == 0 {
		return 0, false
	}
	r := (v/pow10(f.RExp) - float64(f.B)*pow10(f.BExp)) / float64(f.M)
	if math.IsNaN(r) || math.IsInf(r, 0) || r > math.MaxInt32 || r < math.MinInt32 {
		return 0, false
	}
	t := int32(r)
	if r-float64(t) >= 0.5 {
		t = int32(math.Ceil(r))
	}
	return uint8(t), true
}
