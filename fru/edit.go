package fru

import (
	"fmt"
	"strings"
)

// Field names per area, in the order ipmitool's `fru edit ... field`
// indexes them; indexes past these are the custom fields.
var (
	ChassisFieldNames = []string{"Part Number", "Serial Number"}
	BoardFieldNames   = []string{"Manufacturer", "Product Name", "Serial Number", "Part Number", "FRU File ID"}
	ProductFieldNames = []string{"Manufacturer", "Product Name", "Part Number", "Version", "Serial Number", "Asset Tag", "FRU File ID"}
)

// ParseAreaLetter maps ipmitool's section letters (c, b, p) and the
// words chassis, board, product to an area.
func ParseAreaLetter(s string) (AreaKind, error) {
	switch strings.ToLower(s) {
	case "c", "chassis":
		return AreaChassis, nil
	case "b", "board":
		return AreaBoard, nil
	case "p", "product":
		return AreaProduct, nil
	}
	return 0, fmt.Errorf("fru: unknown area %q: use c (chassis), b (board) or p (product)", s)
}

// fieldSlots returns pointers to the fixed fields of an area and its
// custom list, creating the area when it is absent.
func (img *Image) fieldSlots(area AreaKind) ([]*Field, *[]Field, error) {
	switch area {
	case AreaChassis:
		if img.Chassis == nil {
			img.Chassis = &ChassisArea{FormatVersion: 1, Type: 0x02}
		}
		a := img.Chassis
		return []*Field{&a.PartNumber, &a.SerialNumber}, &a.Custom, nil
	case AreaBoard:
		if img.Board == nil {
			img.Board = &BoardArea{FormatVersion: 1}
		}
		a := img.Board
		return []*Field{&a.Manufacturer, &a.ProductName, &a.SerialNumber, &a.PartNumber, &a.FileID}, &a.Custom, nil
	case AreaProduct:
		if img.Product == nil {
			img.Product = &ProductArea{FormatVersion: 1}
		}
		a := img.Product
		return []*Field{&a.Manufacturer, &a.Name, &a.PartNumber, &a.Version, &a.SerialNumber, &a.AssetTag, &a.FileID}, &a.Custom, nil
	}
	return nil, nil, fmt.Errorf("fru: %s has no editable fields", area)
}

// SetField stores value in field index of an info area, numbered as
// ipmitool numbers them: the area's fixed fields first, then its custom
// fields. index equal to the field count appends a custom field. Unlike
// ipmitool's `fru edit`, the new value may be longer or shorter than the
// old one: Encode re-packs the area and fixes lengths, offsets and
// checksums.
func (img *Image) SetField(area AreaKind, index int, value string) error {
	f, err := TextField(value)
	if err != nil {
		return err
	}
	return img.SetFieldRaw(area, index, f)
}

// SetFieldRaw is SetField with an already encoded field.
func (img *Image) SetFieldRaw(area AreaKind, index int, f Field) error {
	fixed, custom, err := img.fieldSlots(area)
	if err != nil {
		return err
	}
	switch n := len(fixed) + len(*custom); {
	case index < 0 || index > n:
		return fmt.Errorf("fru: %s has %d fields (0-%d); index %d is out of range", area, n, n-1, index)
	case index < len(fixed):
		*fixed[index] = f
	case index < n:
		(*custom)[index-len(fixed)] = f
	default:
		*custom = append(*custom, f)
	}
	return nil
}
