package datasets

// Codebook returns the codebook (YAML, the format package survey reads)
// that describes Generate's output: the design, the region, the segments,
// and every construct with its items, scoring and flag. Comments in it give
// each question's wording. The returned slice is the caller's.
func Codebook() []byte { return []byte(codebookYAML) }

const codebookYAML = `# Synthetic consumer privacy survey written by trustgap's datasets.Generate.
# Answers are numbers on the scale given unless a construct maps text through
# values; "Don't know" and blank answers are missing.
title: Consumer Privacy & Personalization Study (synthetic)
missing: ["", "Don't know"]
design: {id: rid, weight: weight, strata: region, psu: psu}
region: region
segments: [generation, gender]
levels:
  region: [North America, Europe, Asia-Pacific, Latin America, Middle East & Africa]
  generation: [Gen Z, Millennials, Gen X, Boomers]
  gender: [Female, Male, Non-binary / other]
labels:
  pc1: I am concerned about the privacy of my personal information online
  pc2: I worry that companies collect too much personal information about me
  pc3: It bothers me when companies ask me for personal information
  pc4: I am comfortable with how much companies know about me (reversed)
  sh_location: Shared their location with an app or website in the last month
  sh_cookies: Accepted all cookies on a website in the last month
  sh_email_discount: Gave their e-mail address for a discount in the last month
  sh_social_login: Signed in with a social media account in the last month
  sh_purchase_history: Let a shop keep their purchase history in the last month
  pr_adblock: Used an ad blocker in the last month
  pr_vpn: Used a VPN in the last month
  pr_decline_cookies: Declined cookies on a website in the last month
  pr_privacy_settings: Changed the privacy settings of an app or account in the last month
  tr1: I trust companies to use my personal data responsibly
  tr2: Companies are open and honest about how they use my data
  cf_overall: Comfortable with companies using my data to personalize offers
  cf_name: Comfortable with personalization using my name
  cf_phone: Comfortable with personalization using my phone number
  cf_address: Comfortable with personalization using my home address
  cf_purchases: Comfortable with personalization using my purchase history
  cf_browsing: Comfortable with personalization using my browsing history
  cf_location: Comfortable with personalization using my location
  pref_personalized: I prefer brands that personalize my experience
  accept_noconsent: Comfortable with personalization from data collected without my consent
  w1: Consumers have lost all control over how personal information is collected and used by companies
  w2: Most businesses handle the personal information they collect in a proper and confidential way
  w3: Existing laws and practices provide a reasonable level of protection for consumer privacy today
constructs:
  # 1 = strongly disagree … 5 = strongly agree.
  # pc1 I am concerned about the privacy of my personal information online.
  # pc2 I worry that companies collect too much personal information about me.
  # pc3 It bothers me when companies ask me for personal information.
  # pc4 I am comfortable with how much companies know about me. (reverse-worded)
  concern: {items: [pc1, pc2, pc3, pc4], scale: [1, 5], reverse: [pc4], score: mean, flag: ">= 4", min_items: 3}

  # In the last month, have you … (Yes/No)
  # shared your location with an app or website; accepted all cookies on a
  # website; given your e-mail address for a discount; signed in to a site
  # with a social media account; let a shop keep your purchase history?
  sharing:
    items: [sh_location, sh_cookies, sh_email_discount, sh_social_login, sh_purchase_history]
    score: count
    flag: ">= 2"
    min_items: 4

  # In the last month, have you … (1 = yes, 0 = no)
  # used an ad blocker; used a VPN; declined cookies on a website; changed
  # the privacy settings of an app or account?
  # Flag: protects, taking at least two of these steps (one alone, such as
  # declining a cookie banner, is too easy to count as protecting).
  protection:
    items: [pr_adblock, pr_vpn, pr_decline_cookies, pr_privacy_settings]
    score: count
    flag: ">= 2"
    min_items: 3

  # tr1 I trust companies to use my personal data responsibly.
  # tr2 Companies are open and honest about how they use my data.
  trust:
    items: [tr1, tr2]
    values: {"Strongly disagree": 1, "Disagree": 2, "Neither agree nor disagree": 3, "Agree": 4, "Strongly agree": 5}
    scale: [1, 5]
    score: mean
    flag: ">= 4"
    min_items: 1

  # How comfortable are you with companies using your data to personalize
  # what they offer you? 1 = very uncomfortable … 5 = very comfortable.
  comfort: {items: [cf_overall], scale: [1, 5], flag: ">= 4"}
  # … when the personalization uses your name / phone number / home address /
  # purchase history / browsing history / location?
  comfort_name: {items: [cf_name], scale: [1, 5], flag: ">= 4"}
  comfort_phone: {items: [cf_phone], scale: [1, 5], flag: ">= 4"}
  comfort_address: {items: [cf_address], scale: [1, 5], flag: ">= 4"}
  comfort_purchases: {items: [cf_purchases], scale: [1, 5], flag: ">= 4"}
  comfort_browsing: {items: [cf_browsing], scale: [1, 5], flag: ">= 4"}
  comfort_location: {items: [cf_location], scale: [1, 5], flag: ">= 4"}

  # I prefer brands that personalize my experience. 1–5 agree.
  personalization: {items: [pref_personalized], scale: [1, 5], flag: ">= 4"}
  # I am comfortable with companies personalizing my experience using data
  # collected without my explicit consent. 1–5 agree.
  accept_noconsent: {items: [accept_noconsent], scale: [1, 5], flag: ">= 4"}

  # Westin's privacy index; 1 = strongly agree … 4 = strongly disagree.
  # w1 Consumers have lost all control over how personal information is
  #    collected and used by companies.
  # w2 Most businesses handle the personal information they collect about
  #    consumers in a proper and confidential way.
  # w3 Existing laws and organizational practices provide a reasonable level
  #    of protection for consumer privacy today.
  westin: {items: [w1, w2, w3], scale: [1, 4]}

  # Would this make you willing to share your data? 1–5 agree.
  # Saving money / saving time / trying new things first / connecting with others.
  benefit_money: {items: [benefit_money], scale: [1, 5], flag: ">= 4"}
  benefit_time: {items: [benefit_time], scale: [1, 5], flag: ">= 4"}
  benefit_novelty: {items: [benefit_novelty], scale: [1, 5], flag: ">= 4"}
  benefit_social: {items: [benefit_social], scale: [1, 5], flag: ">= 4"}

  # fam_collect I know what personal data companies collect about me.
  # fam_use I understand what companies do with the data they collect.
  # 1–5 agree.
  familiarity: {items: [fam_collect, fam_use], scale: [1, 5], flag: ">= 4", min_items: 1}

  # How concerned are you about how companies use the data they collect about
  # you? 1 = not at all, 2 = not too, 3 = somewhat, 4 = very concerned.
  data_use_concern: {items: [du_concern], scale: [1, 4], flag: ">= 3"}
  # How much control do you think you have over the data companies collect
  # about you? 1 = a great deal, 2 = some, 3 = very little, 4 = no control.
  little_control: {items: [ctl], scale: [1, 4], flag: ">= 3"}
  # Companies should need my explicit approval before collecting and
  # processing my personal data. 1–5 agree.
  consent_required: {items: [consent_req], scale: [1, 5], flag: ">= 4"}
`
