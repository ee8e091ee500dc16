* Writes the PSPP fixtures read by survey/read_sav_test.go:
*   pspp make_pspp.sps        (from survey/testdata/sav; GNU PSPP 1.6)
* pspp_latin1.sav: a windows-1252 dictionary and data, bytecode-compressed.
* pspp_long.sav: uncompressed, very long strings (300 bytes), long string
* value labels and missing values, missing ranges, long variable names.
* pspp_long.zsav: the same, zlib-compressed.
SET LOCALE='windows-1252'.
DATA LIST LIST /region (F2.0) satisfaction_with_the_service (F3.0) income (F8.2) city (A12).
BEGIN DATA.
1 5 1200.50 "Köln"
2 1 -3 "Zürich"
3 99 0 "Málaga"
1 98 2500 "Øresund"
END DATA.
VARIABLE LABELS region 'Région (NUTS-1)' /satisfaction_with_the_service 'Zufriedenheit – overall'.
VALUE LABELS region 1 'Nord' 2 'Süd' 3 'Île' /satisfaction_with_the_service 1 'Überhaupt nicht' 5 'Völlig'.
MISSING VALUES satisfaction_with_the_service (98, 99) /income (LO THRU -1).
SAVE OUTFILE='pspp_latin1.sav' /COMPRESSED.

NEW FILE.
SET LOCALE='UTF-8'.
DATA LIST LIST /respondent_identifier (F4.0) q_range (F3.0) q_range_one (F3.0) comment (A300) code (A10).
BEGIN DATA.
1 1 1 "short" "yes"
2 5 9 "a comment that is long enough: 0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890 end" "no"
3 7 50 "" "refused"
4 3 0 "ünïcödé ✓" "dontknow"
END DATA.
VARIABLE LABELS comment 'Any other comments?' /code 'Answer code (long string)'.
VALUE LABELS code 'yes' 'Yes, I agree' 'no' 'No' 'refused' 'Refused to answer'.
MISSING VALUES q_range (5 THRU 8) /q_range_one (40 THRU HI, 9) /code ('refused', 'dontknow').
SAVE OUTFILE='pspp_long.sav' /UNCOMPRESSED.
SAVE OUTFILE='pspp_long.zsav' /ZCOMPRESSED.
