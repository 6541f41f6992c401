package fru

// The JEDEC JEP106 manufacturer names exactly as ipmitool 1.8.19 prints
// them for DIMM SPD data (its lib/dimm_spd.c, banks 1-9, read off the
// Debian 1.8.19 binary and checked against the source).
//
// jedecBanks holds the JEP106 manufacturer names by bank (the number of
// 7Fh continuation codes before the ID); entry i is the ID whose low seven
// bits are i+1. IDs carry odd parity in bit 7: one with even parity names
// no manufacturer.
var jedecBanks = [...][]string{
	{
		"AMD",                          // 01
		"AMI",                          // 02
		"Fairchild",                    // 83
		"Fujitsu",                      // 04
		"GTE",                          // 85
		"Harris",                       // 86
		"Hitachi",                      // 07
		"Inmos",                        // 08
		"Intel",                        // 89
		"I.T.T.",                       // 8A
		"Intersil",                     // 0B
		"Monolithic Memories",          // 8C
		"Mostek",                       // 0D
		"Freescale (Motorola)",         // 0E
		"National",                     // 8F
		"NEC",                          // 10
		"RCA",                          // 91
		"Raytheon",                     // 92
		"Conexant (Rockwell)",          // 13
		"Seeq",                         // 94
		"NXP (Philips)",                // 15
		"Synertek",                     // 16
		"Texas Instruments",            // 97
		"Toshiba",                      // 98
		"Xicor",                        // 19
		"Zilog",                        // 1A
		"Eurotechnique",                // 9B
		"Mitsubishi",                   // 1C
		"Lucent (AT&T)",                // 9D
		"Exel",                         // 9E
		"Atmel",                        // 1F
		"STMicroelectronics",           // 20
		"Lattice Semi.",                // A1
		"NCR",                          // A2
		"Wafer Scale Integration",      // 23
		"IBM",                          // A4
		"Tristar",                      // 25
		"Visic",                        // 26
		"Intl. CMOS Technology",        // A7
		"SSSI",                         // A8
		"MicrochipTechnology",          // 29
		"Ricoh Ltd.",                   // 2A
		"VLSI",                         // AB
		"Micron Technology",            // 2C
		"SK Hynix",                     // AD
		"OKI Semiconductor",            // AE
		"ACTEL",                        // 2F
		"Sharp",                        // B0
		"Catalyst",                     // 31
		"Panasonic",                    // 32
		"IDT",                          // B3
		"Cypress",                      // 34
		"DEC",                          // B5
		"LSI Logic",                    // B6
		"Zarlink (Plessey)",            // 37
		"UTMC",                         // 38
		"Thinking Machine",             // B9
		"Thomson CSF",                  // BA
		"Integrated CMOS (Vertex)",     // 3B
		"Honeywell",                    // BC
		"Tektronix",                    // 3D
		"Oracle Corporation",           // 3E
		"Silicon Storage Technology",   // BF
		"ProMos/Mosel Vitelic",         // 40
		"Infineon (Siemens)",           // C1
		"Macronix",                     // C2
		"Xerox",                        // 43
		"Plus Logic",                   // C4
		"SanDisk Corporation",          // 45
		"Elan Circuit Tech.",           // 46
		"European Silicon Str.",        // C7
		"Apple Computer",               // C8
		"Xilinx",                       // 49
		"Compaq",                       // 4A
		"Protocol Engines",             // CB
		"SCI",                          // 4C
		"Seiko Instruments",            // CD
		"Samsung",                      // CE
		"I3 Design System",             // 4F
		"Klic",                         // D0
		"Crosspoint Solutions",         // 51
		"Alliance Semiconductor",       // 52
		"Tandem",                       // D3
		"Hewlett-Packard",              // 54
		"Integrated Silicon Solutions", // D5
		"Brooktree",                    // D6
		"New Media",                    // 57
		"MHS Electronic",               // 58
		"Performance Semi.",            // D9
		"Winbond Electronic",           // DA
		"Kawasaki Steel",               // 5B
		"Bright Micro",                 // DC
		"TECMAR",                       // 5D
		"Exar",                         // 5E
		"PCMCIA",                       // DF
		"LG Semi (Goldstar)",           // E0
		"Northern Telecom",             // 61
		"Sanyo",                        // 62
		"Array Microsystems",           // E3
		"Crystal Semiconductor",        // 64
		"Analog Devices",               // E5
		"PMC-Sierra",                   // E6
		"Asparix",                      // 67
		"Convex Computer",              // 68
		"Quality Semiconductor",        // E9
		"Nimbus Technology",            // EA
		"Transwitch",                   // 6B
		"Micronas (ITT Intermetall)",   // EC
		"Cannon",                       // 6D
		"Altera",                       // 6E
		"NEXCOM",                       // EF
		"Qualcomm",                     // 70
		"Sony",                         // F1
		"Cray Research",                // F2
		"AMS(Austria Micro)",           // 73
		"Vitesse",                      // F4
		"Aster Electronics",            // 75
		"Bay Networks (Synoptic)",      // 76
		"Zentrum/ZMD",                  // F7
		"TRW",                          // F8
		"Thesys",                       // 79
		"Solbourne Computer",           // 7A
		"Allied-Signal",                // FB
		"Dialog Semiconductor",         // 7C
		"Media Vision",                 // FD
		"Numonyx Corporation",          // FE
	},
	{
		"Cirrus Logic",                       // 01
		"National Instruments",               // 02
		"ILC Data Device",                    // 83
		"Alcatel Mietec",                     // 04
		"Micro Linear",                       // 85
		"Univ. of NC",                        // 86
		"JTAG Technologies",                  // 07
		"BAE Systems (Loral)",                // 08
		"Nchip",                              // 89
		"Galileo Tech",                       // 8A
		"Bestlink Systems",                   // 0B
		"Graychip",                           // 8C
		"GENNUM",                             // 0D
		"VideoLogic",                         // 0E
		"Robert Bosch",                       // 8F
		"Chip Express",                       // 10
		"DATARAM",                            // 91
		"United Microelectronics Corp.",      // 92
		"TCSI",                               // 13
		"Smart Modular",                      // 94
		"Hughes Aircraft",                    // 15
		"Lanstar Semiconductor",              // 16
		"Qlogic",                             // 97
		"Kingston",                           // 98
		"Music Semi",                         // 19
		"Ericsson Components",                // 1A
		"SpaSE",                              // 9B
		"Eon Silicon Devices",                // 1C
		"Integrated Silicon Solution (ISSI)", // 9D
		"DoD",                                // 9E
		"Integ. Memories Tech.",              // 1F
		"Corollary Inc.",                     // 20
		"Dallas Semiconductor",               // A1
		"Omnivision",                         // A2
		"EIV(Switzerland)",                   // 23
		"Novatel Wireless",                   // A4
		"Zarlink (Mitel)",                    // 25
		"Clearpoint",                         // 26
		"Cabletron",                          // A7
		"STEC (Silicon Tech)",                // A8
		"Vanguard",                           // 29
		"Hagiwara Sys-Com",                   // 2A
		"Vantis",                             // AB
		"Celestica",                          // 2C
		"Century",                            // AD
		"Hal Computers",                      // AE
		"Rohm Company Ltd.",                  // 2F
		"Juniper Networks",                   // B0
		"Libit Signal Processing",            // 31
		"Mushkin Enhanced Memory",            // 32
		"Tundra Semiconductor",               // B3
		"Adaptec Inc.",                       // 34
		"LightSpeed Semi.",                   // B5
		"ZSP Corp.",                          // B6
		"AMIC Technology",                    // 37
		"Adobe Systems",                      // 38
		"Dynachip",                           // B9
		"PNY Technologies, Inc.",             // BA
		"Newport Digital",                    // 3B
		"MMC Networks",                       // BC
		"T Square",                           // 3D
		"Seiko Epson",                        // 3E
		"Broadcom",                           // BF
		"Viking Components",                  // 40
		"V3 Semiconductor",                   // C1
		"Flextronics (Orbit Semiconductor)",  // C2
		"Suwa Electronics",                   // 43
		"Transmeta",                          // C4
		"Micron CMS",                         // 45
		"American Computer & Digital Components Inc.", // 46
		"Enhance 3000 Inc.",                           // C7
		"Tower Semiconductor",                         // C8
		"CPU Design",                                  // 49
		"Price Point",                                 // 4A
		"Maxim Integrated Product",                    // CB
		"Tellabs",                                     // 4C
		"Centaur Technology",                          // CD
		"Unigen Corporation",                          // CE
		"Transcend Information",                       // 4F
		"Memory Card Technology",                      // D0
		"CKD Corporation Ltd.",                        // 51
		"Capital Instruments, Inc.",                   // 52
		"Aica Kogyo, Ltd.",                            // D3
		"Linvex Technology",                           // 54
		"MSC Vertriebs GmbH",                          // D5
		"AKM Company, Ltd.",                           // D6
		"Dynamem, Inc.",                               // 57
		"NERA ASA",                                    // 58
		"GSI Technology",                              // D9
		"Dane-Elec (C Memory)",                        // DA
		"Acorn Computers",                             // 5B
		"Lara Technology",                             // DC
		"Oak Technology, Inc.",                        // 5D
		"Itec Memory",                                 // 5E
		"Tanisys Technology",                          // DF
		"Truevision",                                  // E0
		"Wintec Industries",                           // 61
		"Super PC Memory",                             // 62
		"MGV Memory",                                  // E3
		"Galvantech",                                  // 64
		"Gadzoox Networks",                            // E5
		"Multi Dimensional Cons.",                     // E6
		"GateField",                                   // 67
		"Integrated Memory System",                    // 68
		"Triscend",                                    // E9
		"XaQti",                                       // EA
		"Goldenram",                                   // 6B
		"Clear Logic",                                 // EC
		"Cimaron Communications",                      // 6D
		"Nippon Steel Semi. Corp.",                    // 6E
		"Advantage Memory",                            // EF
		"AMCC",                                        // 70
		"LeCroy",                                      // F1
		"Yamaha Corporation",                          // F2
		"Digital Microwave",                           // 73
		"NetLogic Microsystems",                       // F4
		"MIMOS Semiconductor",                         // 75
		"Advanced Fibre",                              // 76
		"BF Goodrich Data.",                           // F7
		"Epigram",                                     // F8
		"Acbel Polytech Inc.",                         // 79
		"Apacer Technology",                           // 7A
		"Admor Memory",                                // FB
		"FOXCONN",                                     // 7C
		"Quadratics Superconductor",                   // FD
		"3COM",                                        // FE
	},
	{
		"Camintonn Corporation",               // 01
		"ISOA Incorporated",                   // 02
		"Agate Semiconductor",                 // 83
		"ADMtek Incorporated",                 // 04
		"HYPERTEC",                            // 85
		"Adhoc Technologies",                  // 86
		"MOSAID Technologies",                 // 07
		"Ardent Technologies",                 // 08
		"Switchcore",                          // 89
		"Cisco Systems, Inc.",                 // 8A
		"Allayer Technologies",                // 0B
		"WorkX AG (Wichman)",                  // 8C
		"Oasis Semiconductor",                 // 0D
		"Novanet Semiconductor",               // 0E
		"E-M Solutions",                       // 8F
		"Power General",                       // 10
		"Advanced Hardware Arch.",             // 91
		"Inova Semiconductors GmbH",           // 92
		"Telocity",                            // 13
		"Delkin Devices",                      // 94
		"Symagery Microsystems",               // 15
		"C-Port Corporation",                  // 16
		"SiberCore Technologies",              // 97
		"Southland Microsystems",              // 98
		"Malleable Technologies",              // 19
		"Kendin Communications",               // 1A
		"Great Technology Microcomputer",      // 9B
		"Sanmina Corporation",                 // 1C
		"HADCO Corporation",                   // 9D
		"Corsair",                             // 9E
		"Actrans System Inc.",                 // 1F
		"ALPHA Technologies",                  // 20
		"Silicon Laboratories, Inc. (Cygnal)", // A1
		"Artesyn Technologies",                // A2
		"Align Manufacturing",                 // 23
		"Peregrine Semiconductor",             // A4
		"Chameleon Systems",                   // 25
		"Aplus Flash Technology",              // 26
		"MIPS Technologies",                   // A7
		"Chrysalis ITS",                       // A8
		"ADTEC Corporation",                   // 29
		"Kentron Technologies",                // 2A
		"Win Technologies",                    // AB
		"Tezzaron Semiconductor",              // 2C
		"Extreme Packet Devices",              // AD
		"RF Micro Devices",                    // AE
		"Siemens AG",                          // 2F
		"Sarnoff Corporation",                 // B0
		"Itautec SA",                          // 31
		"Radiata Inc.",                        // 32
		"Benchmark Elect. (AVEX)",             // B3
		"Legend",                              // 34
		"SpecTek Incorporated",                // B5
		"Hi/fn",                               // B6
		"Enikia Incorporated",                 // 37
		"SwitchOn Networks",                   // 38
		"AANetcom Incorporated",               // B9
		"Micro Memory Bank",                   // BA
		"ESS Technology",                      // 3B
		"Virata Corporation",                  // BC
		"Excess Bandwidth",                    // 3D
		"West Bay Semiconductor",              // 3E
		"DSP Group",                           // BF
		"Newport Communications",              // 40
		"Chip2Chip Incorporated",              // C1
		"Phobos Corporation",                  // C2
		"Intellitech Corporation",             // 43
		"Nordic VLSI ASA",                     // C4
		"Ishoni Networks",                     // 45
		"Silicon Spice",                       // 46
		"Alchemy Semiconductor",               // C7
		"Agilent Technologies",                // C8
		"Centillium Communications",           // 49
		"W.L. Gore",                           // 4A
		"HanBit Electronics",                  // CB
		"GlobeSpan",                           // 4C
		"Element 14",                          // CD
		"Pycon",                               // CE
		"Saifun Semiconductors",               // 4F
		"Sibyte, Incorporated",                // D0
		"MetaLink Technologies",               // 51
		"Feiya Technology",                    // 52
		"I & C Technology",                    // D3
		"Shikatronics",                        // 54
		"Elektrobit",                          // D5
		"Megic",                               // D6
		"Com-Tier",                            // 57
		"Malaysia Micro Solutions",            // 58
		"Hyperchip",                           // D9
		"Gemstone Communications",             // DA
		"Anadigm (Anadyne)",                   // 5B
		"3ParData",                            // DC
		"Mellanox Technologies",               // 5D
		"Tenx Technologies",                   // 5E
		"Helix AG",                            // DF
		"Domosys",                             // E0
		"Skyup Technology",                    // 61
		"HiNT Corporation",                    // 62
		"Chiaro",                              // E3
		"MDT Technologies GmbH",               // 64
		"Exbit Technology A/S",                // E5
		"Integrated Technology Express",       // E6
		"AVED Memory",                         // 67
		"Legerity",                            // 68
		"Jasmine Networks",                    // E9
		"Caspian Networks",                    // EA
		"nCUBE",                               // 6B
		"Silicon Access Networks",             // EC
		"FDK Corporation",                     // 6D
		"High Bandwidth Access",               // 6E
		"MultiLink Technology",                // EF
		"BRECIS",                              // 70
		"World Wide Packets",                  // F1
		"APW",                                 // F2
		"Chicory Systems",                     // 73
		"Xstream Logic",                       // F4
		"Fast-Chip",                           // 75
		"Zucotto Wireless",                    // 76
		"Realchip",                            // F7
		"Galaxy Power",                        // F8
		"eSilicon",                            // 79
		"Morphics Technology",                 // 7A
		"Accelerant Networks",                 // FB
		"Silicon Wave",                        // 7C
		"SandCraft",                           // FD
		"Elpida",                              // FE
	},
	{
		"Solectron",                      // 01
		"Optosys Technologies",           // 02
		"Buffalo (Formerly Melco)",       // 83
		"TriMedia Technologies",          // 04
		"Cyan Technologies",              // 85
		"Global Locate",                  // 86
		"Optillion",                      // 07
		"Terago Communications",          // 08
		"Ikanos Communications",          // 89
		"Princeton Technology",           // 8A
		"Nanya Technology",               // 0B
		"Elite Flash Storage",            // 8C
		"Mysticom",                       // 0D
		"LightSand Communications",       // 0E
		"ATI Technologies",               // 8F
		"Agere Systems",                  // 10
		"NeoMagic",                       // 91
		"AuroraNetics",                   // 92
		"Golden Empire",                  // 13
		"Mushkin",                        // 94
		"Tioga Technologies",             // 15
		"Netlist",                        // 16
		"TeraLogic",                      // 97
		"Cicada Semiconductor",           // 98
		"Centon Electronics",             // 19
		"Tyco Electronics",               // 1A
		"Magis Works",                    // 9B
		"Zettacom",                       // 1C
		"Cogency Semiconductor",          // 9D
		"Chipcon AS",                     // 9E
		"Aspex Technology",               // 1F
		"F5 Networks",                    // 20
		"Programmable Silicon Solutions", // A1
		"ChipWrights",                    // A2
		"Acorn Networks",                 // 23
		"Quicklogic",                     // A4
		"Kingmax Semiconductor",          // 25
		"BOPS",                           // 26
		"Flasys",                         // A7
		"BitBlitz Communications",        // A8
		"eMemory Technology",             // 29
		"Procket Networks",               // 2A
		"Purple Ray",                     // AB
		"Trebia Networks",                // 2C
		"Delta Electronics",              // AD
		"Onex Communications",            // AE
		"Ample Communications",           // 2F
		"Memory Experts Intl",            // B0
		"Astute Networks",                // 31
		"Azanda Network Devices",         // 32
		"Dibcom",                         // B3
		"Tekmos",                         // 34
		"API NetWorks",                   // B5
		"Bay Microsystems",               // B6
		"Firecron Ltd",                   // 37
		"Resonext Communications",        // 38
		"Tachys Technologies",            // B9
		"Equator Technology",             // BA
		"Concept Computer",               // 3B
		"SILCOM",                         // BC
		"3Dlabs",                         // 3D
		"c’t Magazine",                   // 3E
		"Sanera Systems",                 // BF
		"Silicon Packets",                // 40
		"Viasystems Group",               // C1
		"Simtek",                         // C2
		"Semicon Devices Singapore",      // 43
		"Satron Handelsges",              // C4
		"Improv Systems",                 // 45
		"INDUSYS GmbH",                   // 46
		"Corrent",                        // C7
		"Infrant Technologies",           // C8
		"Ritek Corp",                     // 49
		"empowerTel Networks",            // 4A
		"Hypertec",                       // CB
		"Cavium Networks",                // 4C
		"PLX Technology",                 // CD
		"Massana Design",                 // CE
		"Intrinsity",                     // 4F
		"Valence Semiconductor",          // D0
		"Terawave Communications",        // 51
		"IceFyre Semiconductor",          // 52
		"Primarion",                      // D3
		"Picochip Designs Ltd",           // 54
		"Silverback Systems",             // D5
		"Jade Star Technologies",         // D6
		"Pijnenburg Securealink",         // 57
		"takeMS - Ultron AG",             // 58
		"Cambridge Silicon Radio",        // D9
		"Swissbit",                       // DA
		"Nazomi Communications",          // 5B
		"eWave System",                   // DC
		"Rockwell Collins",               // 5D
		"Picocel Co. Ltd. (Paion)",       // 5E
		"Alphamosaic Ltd",                // DF
		"Sandburst",                      // E0
		"SiCon Video",                    // 61
		"NanoAmp Solutions",              // 62
		"Ericsson Technology",            // E3
		"PrairieComm",                    // 64
		"Mitac International",            // E5
		"Layer N Networks",               // E6
		"MtekVision (Atsana)",            // 67
		"Allegro Networks",               // 68
		"Marvell Semiconductors",         // E9
		"Netergy Microelectronic",        // EA
		"NVIDIA",                         // 6B
		"Internet Machines",              // EC
		"Memorysolution GmbH",            // 6D
		"Litchfield Communication",       // 6E
		"Accton Technology",              // EF
		"Teradiant Networks",             // 70
		"Scaleo Chip",                    // F1
		"Cortina Systems",                // F2
		"RAM Components",                 // 73
		"Raqia Networks",                 // F4
		"ClearSpeed",                     // 75
		"Matsushita Battery",             // 76
		"Xelerated",                      // F7
		"SimpleTech",                     // F8
		"Utron Technology",               // 79
		"Astec International",            // 7A
		"AVM gmbH",                       // FB
		"Redux Communications",           // 7C
		"Dot Hill Systems",               // FD
		"TeraChip",                       // FE
	},
	{
		"T-RAM Incorporated",       // 01
		"Innovics Wireless",        // 02
		"Teknovus",                 // 83
		"KeyEye Communications",    // 04
		"Runcom Technologies",      // 85
		"RedSwitch",                // 86
		"Dotcast",                  // 07
		"Silicon Mountain Memory",  // 08
		"Signia Technologies",      // 89
		"Pixim",                    // 8A
		"Galazar Networks",         // 0B
		"White Electronic Designs", // 8C
		"Patriot Scientific",       // 0D
		"Neoaxiom Corporation",     // 0E
		"3Y Power Technology",      // 8F
		"Scaleo Chip",              // 10
		"Potentia Power Systems",   // 91
		"C-guys Incorporated",      // 92
		"Digital Communications Technology Incorporated", // 13
		"Silicon-Based Technology",                       // 94
		"Fulcrum Microsystems",                           // 15
		"Positivo Informatica Ltd",                       // 16
		"XIOtech Corporation",                            // 97
		"PortalPlayer",                                   // 98
		"Zhiying Software",                               // 19
		"ParkerVision, Inc.",                             // 1A
		"Phonex Broadband",                               // 9B
		"Skyworks Solutions",                             // 1C
		"Entropic Communications",                        // 9D
		"I’M Intelligent Memory Ltd.",                    // 9E
		"Zensys A/S",                                     // 1F
		"Legend Silicon Corp.",                           // 20
		"Sci-worx GmbH",                                  // A1
		"SMSC (Standard Microsystems)",                   // A2
		"Renesas Electronics",                            // 23
		"Raza Microelectronics",                          // A4
		"Phyworks",                                       // 25
		"MediaTek",                                       // 26
		"Non-cents Productions",                          // A7
		"US Modular",                                     // A8
		"Wintegra Ltd.",                                  // 29
		"Mathstar",                                       // 2A
		"StarCore",                                       // AB
		"Oplus Technologies",                             // 2C
		"Mindspeed",                                      // AD
		"Just Young Computer",                            // AE
		"Radia Communications",                           // 2F
		"OCZ",                                            // B0
		"Emuzed",                                         // 31
		"LOGIC Devices",                                  // 32
		"Inphi Corporation",                              // B3
		"Quake Technologies",                             // 34
		"Vixel",                                          // B5
		"SolusTek",                                       // B6
		"Kongsberg Maritime",                             // 37
		"Faraday Technology",                             // 38
		"Altium Ltd.",                                    // B9
		"Insyte",                                         // BA
		"ARM Ltd.",                                       // 3B
		"DigiVision",                                     // BC
		"Vativ Technologies",                             // 3D
		"Endicott Interconnect Technologies",             // 3E
		"Pericom",                                        // BF
		"Bandspeed",                                      // 40
		"LeWiz Communications",                           // C1
		"CPU Technology",                                 // C2
		"Ramaxel Technology",                             // 43
		"DSP Group",                                      // C4
		"Axis Communications",                            // 45
		"Legacy Electronics",                             // 46
		"Chrontel",                                       // C7
		"Powerchip Semiconductor",                        // C8
		"MobilEye Technologies",                          // 49
		"Excel Semiconductor",                            // 4A
		"A-DATA Technology",                              // CB
		"VirtualDigm",                                    // 4C
		"G Skill Intl",                                   // CD
		"Quanta Computer",                                // CE
		"Yield Microelectronics",                         // 4F
		"Afa Technologies",                               // D0
		"KINGBOX Technology Co. Ltd.",                    // 51
		"Ceva",                                           // 52
		"iStor Networks",                                 // D3
		"Advance Modules",                                // 54
		"Microsoft",                                      // D5
		"Open-Silicon",                                   // D6
		"Goal Semiconductor",                             // 57
		"ARC International",                              // 58
		"Simmtec",                                        // D9
		"Metanoia",                                       // DA
		"Key Stream",                                     // 5B
		"Lowrance Electronics",                           // DC
		"Adimos",                                         // 5D
		"SiGe Semiconductor",                             // 5E
		"Fodus Communications",                           // DF
		"Credence Systems Corp.",                         // E0
		"Genesis Microchip Inc.",                         // 61
		"Vihana, Inc.",                                   // 62
		"WIS Technologies",                               // E3
		"GateChange Technologies",                        // 64
		"High Density Devices AS",                        // E5
		"Synopsys",                                       // E6
		"Gigaram",                                        // 67
		"Enigma Semiconductor Inc.",                      // 68
		"Century Micro Inc.",                             // E9
		"Icera Semiconductor",                            // EA
		"Mediaworks Integrated Systems",                  // 6B
		"O’Neil Product Development",                     // EC
		"Supreme Top Technology Ltd.",                    // 6D
		"MicroDisplay Corporation",                       // 6E
		"Team Group Inc.",                                // EF
		"Sinett Corporation",                             // 70
		"Toshiba Corporation",                            // F1
		"Tensilica",                                      // F2
		"SiRF Technology",                                // 73
		"Bacoc Inc.",                                     // F4
		"SMaL Camera Technologies",                       // 75
		"Thomson SC",                                     // 76
		"Airgo Networks",                                 // F7
		"Wisair Ltd.",                                    // F8
		"SigmaTel",                                       // 79
		"Arkados",                                        // 7A
		"Compete IT gmbH Co. KG",                         // FB
		"Eudar Technology Inc.",                          // 7C
		"Focus Enhancements",                             // FD
		"Xyratex",                                        // FE
	},
	{
		"Specular Networks",              // 01
		"Patriot Memory (PDP Systems)",   // 02
		"U-Chip Technology Corp.",        // 83
		"Silicon Optix",                  // 04
		"Greenfield Networks",            // 85
		"CompuRAM GmbH",                  // 86
		"Stargen, Inc.",                  // 07
		"NetCell Corporation",            // 08
		"Excalibrus Technologies Ltd",    // 89
		"SCM Microsystems",               // 8A
		"Xsigo Systems, Inc.",            // 0B
		"CHIPS & Systems Inc",            // 8C
		"Tier 1 Multichip Solutions",     // 0D
		"CWRL Labs",                      // 0E
		"Teradici",                       // 8F
		"Gigaram, Inc.",                  // 10
		"g2 Microsystems",                // 91
		"PowerFlash Semiconductor",       // 92
		"P.A. Semi, Inc.",                // 13
		"NovaTech Solutions, S.A.",       // 94
		"c2 Microsystems, Inc.",          // 15
		"Level5 Networks",                // 16
		"COS Memory AG",                  // 97
		"Innovasic Semiconductor",        // 98
		"02IC Co. Ltd",                   // 19
		"Tabula, Inc.",                   // 1A
		"Crucial Technology",             // 9B
		"Chelsio Communications",         // 1C
		"Solarflare Communications",      // 9D
		"Xambala Inc.",                   // 9E
		"EADS Astrium",                   // 1F
		"Terra Semiconductor, Inc.",      // 20
		"Imaging Works, Inc.",            // A1
		"Astute Networks, Inc.",          // A2
		"Tzero",                          // 23
		"Emulex",                         // A4
		"Power-One",                      // 25
		"Pulse~LINK Inc.",                // 26
		"Hon Hai Precision Industry",     // A7
		"White Rock Networks Inc.",       // A8
		"Telegent Systems USA, Inc.",     // 29
		"Atrua Technologies, Inc.",       // 2A
		"Acbel Polytech Inc.",            // AB
		"eRide Inc.",                     // 2C
		"ULi Electronics Inc.",           // AD
		"Magnum Semiconductor Inc.",      // AE
		"neoOne Technology, Inc.",        // 2F
		"Connex Technology, Inc.",        // B0
		"Stream Processors, Inc.",        // 31
		"Focus Enhancements",             // 32
		"Telecis Wireless, Inc.",         // B3
		"uNav Microelectronics",          // 34
		"Tarari, Inc.",                   // B5
		"Ambric, Inc.",                   // B6
		"Newport Media, Inc.",            // 37
		"VMTS",                           // 38
		"Enuclia Semiconductor, Inc.",    // B9
		"Virtium Technology Inc.",        // BA
		"Solid State System Co., Ltd.",   // 3B
		"Kian Tech LLC",                  // BC
		"Artimi",                         // 3D
		"Power Quotient International",   // 3E
		"Avago Technologies",             // BF
		"ADTechnology",                   // 40
		"Sigma Designs",                  // C1
		"SiCortex, Inc.",                 // C2
		"Ventura Technology Group",       // 43
		"eASIC",                          // C4
		"M.H.S. SAS",                     // 45
		"Micro Star International",       // 46
		"Rapport Inc.",                   // C7
		"Makway International",           // C8
		"Broad Reach Engineering Co.",    // 49
		"Semiconductor Mfg Intl Corp",    // 4A
		"SiConnect",                      // CB
		"FCI USA Inc.",                   // 4C
		"Validity Sensors",               // CD
		"Coney Technology Co. Ltd.",      // CE
		"Spans Logic",                    // 4F
		"Neterion Inc.",                  // D0
		"Qimonda",                        // 51
		"New Japan Radio Co. Ltd.",       // 52
		"Velogix",                        // D3
		"Montalvo Systems",               // 54
		"iVivity Inc.",                   // D5
		"Walton Chaintech",               // D6
		"AENEON",                         // 57
		"Lorom Industrial Co. Ltd.",      // 58
		"Radiospire Networks",            // D9
		"Sensio Technologies, Inc.",      // DA
		"Nethra Imaging",                 // 5B
		"Hexon Technology Pte Ltd",       // DC
		"CompuStocx (CSX)",               // 5D
		"Methode Electronics, Inc.",      // 5E
		"Connect One Ltd.",               // DF
		"Opulan Technologies",            // E0
		"Septentrio NV",                  // 61
		"Goldenmars Technology Inc.",     // 62
		"Kreton Corporation",             // E3
		"Cochlear Ltd.",                  // 64
		"Altair Semiconductor",           // E5
		"NetEffect, Inc.",                // E6
		"Spansion, Inc.",                 // 67
		"Taiwan Semiconductor Mfg",       // 68
		"Emphany Systems Inc.",           // E9
		"ApaceWave Technologies",         // EA
		"Mobilygen Corporation",          // 6B
		"Tego",                           // EC
		"Cswitch Corporation",            // 6D
		"Haier (Beijing) IC Design Co.",  // 6E
		"MetaRAM",                        // EF
		"Axel Electronics Co. Ltd.",      // 70
		"Tilera Corporation",             // F1
		"Aquantia",                       // F2
		"Vivace Semiconductor",           // 73
		"Redpine Signals",                // F4
		"Octalica",                       // 75
		"InterDigital Communications",    // 76
		"Avant Technology",               // F7
		"Asrock, Inc.",                   // F8
		"Availink",                       // 79
		"Quartics, Inc.",                 // 7A
		"Element CXI",                    // FB
		"Innovaciones Microelectronicas", // 7C
		"VeriSilicon Microelectronics",   // FD
		"W5 Networks",                    // FE
	},
	{
		"MOVEKING",                                // 01
		"Mavrix Technology, Inc.",                 // 02
		"CellGuide Ltd.",                          // 83
		"Faraday Technology",                      // 04
		"Diablo Technologies, Inc.",               // 85
		"Jennic",                                  // 86
		"Octasic",                                 // 07
		"Molex Incorporated",                      // 08
		"3Leaf Networks",                          // 89
		"Bright Micron Technology",                // 8A
		"Netxen",                                  // 0B
		"NextWave Broadband Inc.",                 // 8C
		"DisplayLink",                             // 0D
		"ZMOS Technology",                         // 0E
		"Tec-Hill",                                // 8F
		"Multigig, Inc.",                          // 10
		"Amimon",                                  // 91
		"Euphonic Technologies, Inc.",             // 92
		"BRN Phoenix",                             // 13
		"InSilica",                                // 94
		"Ember Corporation",                       // 15
		"Avexir Technologies Corporation",         // 16
		"Echelon Corporation",                     // 97
		"Edgewater Computer Systems",              // 98
		"XMOS Semiconductor Ltd.",                 // 19
		"GENUSION, Inc.",                          // 1A
		"Memory Corp NV",                          // 9B
		"SiliconBlue Technologies",                // 1C
		"Rambus Inc.",                             // 9D
		"Andes Technology Corporation",            // 9E
		"Coronis Systems",                         // 1F
		"Achronix Semiconductor",                  // 20
		"Siano Mobile Silicon Ltd.",               // A1
		"Semtech Corporation",                     // A2
		"Pixelworks Inc.",                         // 23
		"Gaisler Research AB",                     // A4
		"Teranetics",                              // 25
		"Toppan Printing Co. Ltd.",                // 26
		"Kingxcon",                                // A7
		"Silicon Integrated Systems",              // A8
		"I-O Data Device, Inc.",                   // 29
		"NDS Americas Inc.",                       // 2A
		"Solomon Systech Limited",                 // AB
		"On Demand Microelectronics",              // 2C
		"Amicus Wireless Inc.",                    // AD
		"SMARDTV SNC",                             // AE
		"Comsys Communication Ltd.",               // 2F
		"Movidia Ltd.",                            // B0
		"Javad GNSS, Inc.",                        // 31
		"Montage Technology Group",                // 32
		"Trident Microsystems",                    // B3
		"Super Talent",                            // 34
		"Optichron, Inc.",                         // B5
		"Future Waves UK Ltd.",                    // B6
		"SiBEAM, Inc.",                            // 37
		"Inicore,Inc.",                            // 38
		"Virident Systems",                        // B9
		"M2000, Inc.",                             // BA
		"ZeroG Wireless, Inc.",                    // 3B
		"Gingle Technology Co. Ltd.",              // BC
		"Space Micro Inc.",                        // 3D
		"Wilocity",                                // 3E
		"Novafora, Inc.",                          // BF
		"iKoa Corporation",                        // 40
		"ASint Technology",                        // C1
		"Ramtron",                                 // C2
		"Plato Networks Inc.",                     // 43
		"IPtronics AS",                            // C4
		"Infinite-Memories",                       // 45
		"Parade Technologies Inc.",                // 46
		"Dune Networks",                           // C7
		"GigaDevice Semiconductor",                // C8
		"Modu Ltd.",                               // 49
		"CEITEC",                                  // 4A
		"Northrop Grumman",                        // CB
		"XRONET Corporation",                      // 4C
		"Sicon Semiconductor AB",                  // CD
		"Atla Electronics Co. Ltd.",               // CE
		"TOPRAM Technology",                       // 4F
		"Silego Technology Inc.",                  // D0
		"Kinglife",                                // 51
		"Ability Industries Ltd.",                 // 52
		"Silicon Power Computer & Communications", // D3
		"Augusta Technology, Inc.",                // 54
		"Nantronics Semiconductors",               // D5
		"Hilscher Gesellschaft",                   // D6
		"Quixant Ltd.",                            // 57
		"Percello Ltd.",                           // 58
		"NextIO Inc.",                             // D9
		"Scanimetrics Inc.",                       // DA
		"FS-Semi Company Ltd.",                    // 5B
		"Infinera Corporation",                    // DC
		"SandForce Inc.",                          // 5D
		"Lexar Media",                             // 5E
		"Teradyne Inc.",                           // DF
		"Memory Exchange Corp.",                   // E0
		"Suzhou Smartek Electronics",              // 61
		"Avantium Corporation",                    // 62
		"ATP Electronics Inc.",                    // E3
		"Valens Semiconductor Ltd",                // 64
		"Agate Logic, Inc.",                       // E5
		"Netronome",                               // E6
		"Zenverge, Inc.",                          // 67
		"N-trig Ltd",                              // 68
		"SanMax Technologies Inc.",                // E9
		"Contour Semiconductor Inc.",              // EA
		"TwinMOS",                                 // 6B
		"Silicon Systems, Inc.",                   // EC
		"V-Color Technology Inc.",                 // 6D
		"Certicom Corporation",                    // 6E
		"JSC ICC Milandr",                         // EF
		"PhotoFast Global Inc.",                   // 70
		"InnoDisk Corporation",                    // F1
		"Muscle Power",                            // F2
		"Energy Micro",                            // 73
		"Innofidei",                               // F4
		"CopperGate Communications",               // 75
		"Holtek Semiconductor Inc.",               // 76
		"Myson Century, Inc.",                     // F7
		"FIDELIX",                                 // F8
		"Red Digital Cinema",                      // 79
		"Densbits Technology",                     // 7A
		"Zempro",                                  // FB
		"MoSys",                                   // 7C
		"Provigent",                               // FD
		"Triad Semiconductor, Inc.",               // FE
	},
	{
		"Siklu Communication Ltd.",                   // 01
		"A Force Manufacturing Ltd.",                 // 02
		"Strontium",                                  // 83
		"Abilis Systems",                             // 04
		"Siglead, Inc.",                              // 85
		"Ubicom, Inc.",                               // 86
		"Unifosa Corporation",                        // 07
		"Stretch, Inc.",                              // 08
		"Lantiq Deutschland GmbH",                    // 89
		"Visipro.",                                   // 8A
		"EKMemory",                                   // 0B
		"Microelectronics Institute ZTE",             // 8C
		"Cognovo Ltd.",                               // 0D
		"Carry Technology Co. Ltd.",                  // 0E
		"Nokia",                                      // 8F
		"King Tiger Technology",                      // 10
		"Sierra Wireless",                            // 91
		"HT Micron",                                  // 92
		"Albatron Technology Co. Ltd.",               // 13
		"Leica Geosystems AG",                        // 94
		"BroadLight",                                 // 15
		"AEXEA",                                      // 16
		"ClariPhy Communications, Inc.",              // 97
		"Green Plug",                                 // 98
		"Design Art Networks",                        // 19
		"Mach Xtreme Technology Ltd.",                // 1A
		"ATO Solutions Co. Ltd.",                     // 9B
		"Ramsta",                                     // 1C
		"Greenliant Systems, Ltd.",                   // 9D
		"Teikon",                                     // 9E
		"Antec Hadron",                               // 1F
		"NavCom Technology, Inc.",                    // 20
		"Shanghai Fudan Microelectronics",            // A1
		"Calxeda, Inc.",                              // A2
		"JSC EDC Electronics",                        // 23
		"Kandit Technology Co. Ltd.",                 // A4
		"Ramos Technology",                           // 25
		"Goldenmars Technology",                      // 26
		"XeL Technology Inc.",                        // A7
		"Newzone Corporation",                        // A8
		"ShenZhen MercyPower Tech",                   // 29
		"Nanjing Yihuo Technology",                   // 2A
		"Nethra Imaging Inc.",                        // AB
		"SiTel Semiconductor BV",                     // 2C
		"SolidGear Corporation",                      // AD
		"Topower Computer Ind Co Ltd.",               // AE
		"Wilocity",                                   // 2F
		"Profichip GmbH",                             // B0
		"Gerad Technologies",                         // 31
		"Ritek Corporation",                          // 32
		"Gomos Technology Limited",                   // B3
		"Memoright Corporation",                      // 34
		"D-Broad, Inc.",                              // B5
		"HiSilicon Technologies",                     // B6
		"Syndiant Inc..",                             // 37
		"Enverv Inc.",                                // 38
		"Cognex",                                     // B9
		"Xinnova Technology Inc.",                    // BA
		"Ultron AG",                                  // 3B
		"Concord Idea Corporation",                   // BC
		"AIM Corporation",                            // 3D
		"Lifetime Memory Products",                   // 3E
		"Ramsway",                                    // BF
		"Recore Systems B.V.",                        // 40
		"Haotian Jinshibo Science Tech",              // C1
		"Being Advanced Memory",                      // C2
		"Adesto Technologies",                        // 43
		"Giantec Semiconductor, Inc.",                // C4
		"HMD Electronics AG",                         // 45
		"Gloway International (HK)",                  // 46
		"Kingcore",                                   // C7
		"Anucell Technology Holding",                 // C8
		"Accord Software & Systems Pvt. Ltd.",        // 49
		"Active-Semi Inc.",                           // 4A
		"Denso Corporation",                          // CB
		"TLSI Inc.",                                  // 4C
		"Qidan",                                      // CD
		"Mustang",                                    // CE
		"Orca Systems",                               // 4F
		"Passif Semiconductor",                       // D0
		"GigaDevice Semiconductor (Beijing) Inc.",    // 51
		"Memphis Electronic",                         // 52
		"Beckhoff Automation GmbH",                   // D3
		"Harmony Semiconductor Corp",                 // 54
		"Air Computers SRL",                          // D5
		"TMT Memory",                                 // D6
		"Eorex Corporation",                          // 57
		"Xingtera",                                   // 58
		"Netsol",                                     // D9
		"Bestdon Technology Co. Ltd.",                // DA
		"Baysand Inc.",                               // 5B
		"Uroad Technology Co. Ltd.",                  // DC
		"Wilk Elektronik S.A.",                       // 5D
		"AAI",                                        // 5E
		"Harman",                                     // DF
		"Berg Microelectronics Inc.",                 // E0
		"ASSIA, Inc.",                                // 61
		"Visiontek Products LLC",                     // 62
		"OCMEMORY",                                   // E3
		"Welink Solution Inc.",                       // 64
		"Shark Gaming",                               // E5
		"Avalanche Technology",                       // E6
		"R&D Center ELVEES OJSC",                     // 67
		"KingboMars Technology Co. Ltd.",             // 68
		"High Bridge Solutions Industria Eletronica", // E9
		"Transcend Technology Co. Ltd.",              // EA
		"Everspin Technologies",                      // 6B
		"Hon-Hai Precision",                          // EC
		"Smart Storage Systems",                      // 6D
		"Toumaz Group",                               // 6E
		"Zentel Electronics Corporation",             // EF
		"Panram International Corporation",           // 70
		"Silicon Space Technology",                   // F1
		"LITE-ON IT Corporation",                     // F2
		"Inuitive",                                   // 73
		"HMicro",                                     // F4
		"BittWare, Inc.",                             // 75
		"GLOBALFOUNDRIES",                            // 76
		"ACPI Digital Co. Ltd.",                      // F7
		"Annapurna Labs",                             // F8
		"AcSiP Technology Corporation",               // 79
		"Idea! Electronic Systems",                   // 7A
		"Gowe Technology Co. Ltd.",                   // FB
		"Hermes Testing Solutions, Inc.",             // 7C
		"Positivo BGH",                               // FD
		"Intelligence Silicon Technology",            // FE
	},
	{
		"3D PLUS",                                  // 01
		"Diehl Aerospace",                          // 02
		"Fairchild",                                // 83
		"Mercury Systems",                          // 04
		"Sonics, Inc.",                             // 85
		"GE Intelligent Platforms GmbH & Co.",      // 86
		"Shenzhen Jinge Information Co. Ltd.",      // 07
		"SCWW",                                     // 08
		"Silicon Motion Inc.",                      // 89
		"Anurag",                                   // 8A
		"King Kong",                                // 0B
		"FROM30 Co. Ltd.",                          // 8C
		"Gowin Semiconductor Corp",                 // 0D
		"Fremont Micro Devices Ltd.",               // 0E
		"Ericsson Modems",                          // 8F
		"Exelis",                                   // 10
		"Satixfy Ltd.",                             // 91
		"Galaxy Microsystems Ltd.",                 // 92
		"Gloway International Co. Ltd.",            // 13
		"Lab",                                      // 94
		"Smart Energy Instruments",                 // 15
		"Approved Memory Corporation",              // 16
		"Axell Corporation",                        // 97
		"Essencore Limited",                        // 98
		"Phytium",                                  // 19
		"Xi’an SinoChip Semiconductor",             // 1A
		"Ambiq Micro",                              // 9B
		"eveRAM Technology, Inc.",                  // 1C
		"Infomax",                                  // 9D
		"Butterfly Network, Inc.",                  // 9E
		"Shenzhen City Gcai Electronics",           // 1F
		"Stack Devices Corporation",                // 20
		"ADK Media Group",                          // A1
		"TSP Global Co., Ltd.",                     // A2
		"HighX",                                    // 23
		"Shenzhen Elicks Technology",               // A4
		"ISSI/Chingis",                             // 25
		"Google, Inc.",                             // 26
		"Dasima International Development",         // A7
		"Leahkinn Technology Limited",              // A8
		"HIMA Paul Hildebrandt GmbH Co KG",         // 29
		"Keysight Technologies",                    // 2A
		"Techcomp International (Fastable)",        // AB
		"Ancore Technology Corporation",            // 2C
		"Nuvoton",                                  // AD
		"Korea Uhbele International Group Ltd.",    // AE
		"Ikegami Tsushinki Co Ltd.",                // 2F
		"RelChip, Inc.",                            // B0
		"Baikal Electronics",                       // 31
		"Nemostech Inc.",                           // 32
		"Memorysolution GmbH",                      // B3
		"Silicon Integrated Systems Corporation",   // 34
		"Xiede",                                    // B5
		"Multilaser Components",                    // B6
		"Flash Chi",                                // 37
		"Jone",                                     // 38
		"GCT Semiconductor Inc.",                   // B9
		"Hong Kong Zetta Device Technology",        // BA
		"Unimemory Technology(s) Pte Ltd.",         // 3B
		"Cuso",                                     // BC
		"Kuso",                                     // 3D
		"Uniquify Inc.",                            // 3E
		"Skymedi Corporation",                      // BF
		"Core Chance Co. Ltd.",                     // 40
		"Tekism Co. Ltd.",                          // C1
		"Seagate Technology PLC",                   // C2
		"Hong Kong Gaia Group Co. Limited",         // 43
		"Gigacom Semiconductor LLC",                // C4
		"V2 Technologies",                          // 45
		"TLi",                                      // 46
		"Neotion",                                  // C7
		"Lenovo",                                   // C8
		"Shenzhen Zhongteng Electronic Corp. Ltd.", // 49
		"Compound Photonics",                       // 4A
		"in2H2 inc",                                // CB
		"Shenzhen Pango Microsystems Co. Ltd",      // 4C
		"Vasekey",                                  // CD
		"Cal-Comp Industria de Semicondutores",     // CE
		"Eyenix Co., Ltd.",                         // 4F
		"Heoriady",                                 // D0
		"Accelerated Memory Production Inc.",       // 51
		"INVECAS, Inc.",                            // 52
		"AP Memory",                                // D3
		"Douqi Technology",                         // 54
		"Etron Technology, Inc.",                   // D5
		"Indie Semiconductor",                      // D6
		"Socionext Inc.",                           // 57
		"HGST",                                     // 58
		"EVGA",                                     // D9
		"Audience Inc.",                            // DA
		"EpicGear",                                 // 5B
		"Vitesse Enterprise Co.",                   // DC
		"Foxtronn International Corporation",       // 5D
		"Bretelon Inc.",                            // 5E
		"Zbit Semiconductor, Inc.",                 // DF
		"Eoplex Inc",                               // E0
		"MaxLinear, Inc.",                          // 61
		"ETA Devices",                              // 62
		"LOKI",                                     // E3
		"IMS Semiconductor Co., Ltd",               // 64
		"Dosilicon Co., Ltd.",                      // E5
		"Dolphin Integration",                      // E6
		"Shenzhen Mic Electronics Technology",      // 67
		"Boya Microelectronics Inc.",               // 68
		"Geniachip (Roche)",                        // E9
		"Axign",                                    // EA
		"Kingred Electronic Technology Ltd.",       // 6B
		"Chao Yue Zhuo Computer Business Dept.",    // EC
		"Guangzhou Si Nuo Electronic Technology.",  // 6D
	},
}
