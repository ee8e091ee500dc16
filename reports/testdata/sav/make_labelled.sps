* Writes labelled.sav, read by reports/answerlabels_test.go:
*   pspp make_labelled.sps        (from reports/testdata/sav; GNU PSPP 1.6)
* 48 respondents in two countries; three pairs of 1-5 items whose answer
* texts are SPSS value labels only:
*   a1, a2: 1 = Strongly disagree ... 5 = Strongly agree (99 Don't know, missing);
*   r1, r2: the other way round, 1 = Strongly agree ... 5 = Strongly disagree;
*   d1, d2: labelled alike except code 3 ("Neither agree nor disagree" / "Neutral").
INPUT PROGRAM.
LOOP #i = 1 TO 48.
COMPUTE id = #i.
END CASE.
END LOOP.
END FILE.
END INPUT PROGRAM.
COMPUTE country = 1 + MOD(id, 2).
COMPUTE a1 = 1 + MOD(id, 5).
COMPUTE a2 = 1 + MOD(id * 3, 5).
COMPUTE r1 = 1 + MOD(id * 2, 5).
COMPUTE r2 = 5 - MOD(id, 5).
COMPUTE d1 = 1 + MOD(id + 2, 5).
COMPUTE d2 = 1 + MOD(id * 4, 5).
IF (id = 7) a1 = 99.
FORMATS id country a1 a2 r1 r2 d1 d2 (F2.0).
VARIABLE LABELS country 'Country of residence'
  /a1 'Companies should ask before using my data'
  /a2 'I read privacy policies'
  /r1 'I trust apps with my location'
  /r2 'I share my data freely'
  /d1 'I use a VPN'
  /d2 'I clear my cookies'.
VALUE LABELS country 1 'Germany' 2 'United Kingdom'
  /a1 a2 d1 1 'Strongly disagree' 2 'Disagree' 3 'Neither agree nor disagree' 4 'Agree' 5 'Strongly agree' 99 "Don't know"
  /r1 r2 1 'Strongly agree' 2 'Agree' 3 'Neither agree nor disagree' 4 'Disagree' 5 'Strongly disagree'
  /d2 1 'Strongly disagree' 2 'Disagree' 3 'Neutral' 4 'Agree' 5 'Strongly agree'.
MISSING VALUES a1 (99).
SAVE OUTFILE='labelled.sav' /COMPRESSED.
