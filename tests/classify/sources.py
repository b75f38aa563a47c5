"""The authoritative documents the test cases come from (each case cites one of these)."""

FDA_MM_HU = (
    "FDA, Regulatory Considerations for HCT/Ps: Minimal Manipulation and Homologous Use "
    "(Nov 2017, corrected Jul 2020), https://www.fda.gov/regulatory-information/"
    "search-fda-guidance-documents/regulatory-considerations-human-cells-tissues-and-cellular-"
    "and-tissue-based-products-minimal"
)
FDA_MM_HU_EXAMPLES = (
    FDA_MM_HU + "; Examples 11-1 and 14-1 as quoted at https://www.greyledgebiotech.com/"
    "fat-hits-regulatory-fan-processing-adipose-tissue-hct-p-era-part-two/"
)
FDA_ADIPOSE_HU = (
    FDA_MM_HU + "; adipose for arthritis/tendonitis is non-homologous, as summarised at "
    "https://savemyfat.com/homologous-use-361-criterion-physicans-cant-ignore/"
)
FDA_SSP = (
    "FDA, Same Surgical Procedure Exception under 21 CFR 1271.15(b) (Nov 2017), Example 7-1 as "
    "quoted at https://www.greyledgebiotech.com/fat-hits-regulatory-fan-processing-adipose-"
    "tissue-hct-p-era-part-one/"
)
FDA_SSP_SCOPE = (
    "FDA, Same Surgical Procedure Exception guidance: only rinsing, cleansing, sizing (and "
    "shaping), https://www.plasticsurgery.org/for-medical-professionals/advocacy/advocacy-news/"
    "asps-comments-on-fda-same-surgical-procedure-guidance"
)
FDA_CORD_BLOOD = (
    "FDA, Guidance: Minimally Manipulated, Unrelated Allogeneic Placental/Umbilical Cord Blood "
    "Intended for Hematopoietic Reconstitution (BLA required), https://docplayer.net/"
    "7068102-Guidance-for-industry.html"
)
CFR_1271_10 = "21 CFR 1271.10(a), http://edocket.access.gpo.gov/cfr_2006/aprqtr/21cfr1271.10.htm"
CFR_1271_3 = "21 CFR 1271.3(d)(6), https://www.ecfr.gov/current/title-21/part-1271/section-1271.3"
FDA_HOMOLOGOUS_SKIN = (
    FDA_MM_HU + "; homologous use 'skin for skin', quoted at https://ezzy2017.com/2019/08/24/"
    "regenerative-and-stem-cell-therapy-practices-part-2/"
)

EMA_CAT_LIST = (
    "EMA/CAT scientific recommendations on ATMP classification (list since March 2019), "
    "https://www.ema.europa.eu/en/human-regulatory/marketing-authorisation/advanced-therapies/"
    "advanced-therapy-classification/summaries-scientific-recommendations-classification-"
    "advanced-therapy-medicinal-products"
)
EMA_CAT_OCT_2019 = (
    "CAT monthly report, 119th meeting (9-11 Oct 2019), classification outcomes, "
    "https://www.ris.world/europe-cat-monthly-report-of-application-procedures-guidelines-and-"
    "related-documents-on-advanced-therapies/"
)
EMA_CAT_MAR_2018 = (
    "CAT monthly report, 102nd meeting (14-16 Mar 2018), classification outcome, "
    "https://psnresearch.com/2018/04/cat-monthly-report-of-application-procedures-guidelines-"
    "and-related-documents-on-advanced-therapies/"
)

MHLW_1031 = (
    "MHLW Iseikenhatsu 1031-1 (2014-10-31) on homologous use under the ASRM, quoted at "
    "https://hiro-clinic.or.jp/saisei/question"
)
MHLW_PROCESSING = (
    "MHLW definition of processing (加工) of cells, "
    "https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/kenkou_iryou/iryou/saisei_iryou/plan.html; "
    "minimal operations listed at https://med.m-review.co.jp/article/detail/J0027_1204_0086-0087"
)
ASRM_CLASS_I = (
    "ASRM Class I criteria (ES/iPS, gene-introduced, animal, another person's cells), "
    "https://www.weblio.jp/content/%E7%AC%AC%E4%B8%80%E7%A8%AE%E5%86%8D%E7%94%9F%E5%8C%BB%E7%99%82"
    "%E7%AD%89%E6%8A%80%E8%A1%93"
)

KFDA_2008_CULTURED_FAT = (
    "KFDA notice revision (2008): fat cells cultured ex vivo and injected into face or breast "
    "are cell therapy products; separated fat cells re-injected are not, "
    "https://m.mbn.co.kr/news/economy/396384"
)
KFDA_2008_MINIMAL = (
    "KFDA (2008): minimal manipulation includes aseptic centrifugation and washing; enzyme "
    "treatment left for review, https://m.mt.co.kr/renew/view.html?no=2008061019141119223"
)
KR_DECREE_GENE = (
    "ARBA Enforcement Decree Art. 2: gene therapy includes delivering cells whose genetic "
    "material was modified, https://www.lawnb.com/Info/ContentView?sid=L000013847_0_20231212"
)
KR_KARM_SCOPE = (
    "K-ARM: ARBA Art. 2(1) excludes minimal manipulation and uninsured cosmetic procedures, "
    "https://www.k-arm.go.kr/content.do?key=2102158614913"
)
