"""The label tables of :mod:`ctatlas.labels`: every vocabulary value, field, jurisdiction and
legal category in English, Japanese and Korean, each entry ``(en, ja, ko)``.

Data only; :mod:`ctatlas.labels` looks values up in these tables (and re-exports them).
"""

from __future__ import annotations

from enum import Enum

from ctatlas import vocab

L = tuple[str, str, str]

_NA: L = ("Not applicable", "該当なし", "해당 없음")
_OTHER: L = ("Other", "その他", "기타")
_UNKNOWN: L = ("Unknown", "不明", "알 수 없음")
_AUTO: L = ("Autologous (own cells)", "自家(本人の細胞)", "자가(본인 세포)")
_ALLO: L = ("Allogeneic (donor cells)", "同種(他家、ドナーの細胞)", "동종(공여자 세포)")
_XENO: L = ("Xenogeneic (animal cells)", "異種(動物の細胞)", "이종(동물 세포)")

VOCABS: dict[str, dict[str, L]] = {
    "modality": {
        "cell_therapy": ("Cell therapy", "細胞治療", "세포치료"),
        "tissue_engineered": ("Tissue-engineered product", "組織工学製品", "조직공학제제"),
        "gene_modified_cell": (
            "Gene-modified cell therapy",
            "遺伝子改変細胞治療",
            "유전자변형 세포치료",
        ),
        "gene_therapy": ("Gene therapy", "遺伝子治療", "유전자치료"),
    },
    "cell_class": {
        "somatic": ("Somatic (adult) cells", "体細胞", "체세포"),
        "stem": ("Stem cells", "幹細胞", "줄기세포"),
        "not_applicable": _NA,
    },
    "stem_type": {
        "MSC": ("Mesenchymal stem cells (MSC)", "間葉系幹細胞(MSC)", "중간엽줄기세포(MSC)"),
        "HSC": ("Haematopoietic stem cells (HSC)", "造血幹細胞(HSC)", "조혈모세포(HSC)"),
        "iPSC_derived": ("Derived from iPS cells", "iPS細胞由来", "유도만능줄기세포(iPSC) 유래"),
        "ESC_derived": ("Derived from ES cells", "ES細胞由来", "배아줄기세포(ESC) 유래"),
        "tissue_stem": ("Tissue stem cells", "組織幹細胞", "조직줄기세포"),
        "not_applicable": _NA,
    },
    "origin": {
        "autologous": _AUTO,
        "allogeneic": _ALLO,
        "xenogeneic": _XENO,
        "not_applicable": _NA,
    },
    "manipulation": {
        "minimal": ("Minimal manipulation", "最小限の操作", "최소 조작"),
        "more_than_minimal": (
            "More than minimal manipulation",
            "最小限を超える操作",
            "최소 조작을 넘는 조작",
        ),
        "not_applicable": _NA,
    },
    "status": {
        "authorized": ("Authorized", "承認有効", "허가 유효"),
        "expired": ("Expired", "期限切れ", "만료"),
        "withdrawn": ("Withdrawn", "承認取下げ", "허가 취하"),
        "revoked": ("Revoked", "承認取消し", "허가 취소"),
        "suspended": ("Suspended", "停止中", "정지"),
        "not_renewed": ("Not renewed", "更新されず", "갱신되지 않음"),
    },
    "status_event": {
        "approved": ("Approved", "承認", "허가"),
        "conditionally_approved": ("Conditionally approved", "条件付き承認", "조건부 허가"),
        "converted_to_full": (
            "Converted to full approval",
            "本承認へ移行",
            "정식 허가로 전환",
        ),
        "conditional_extended": (
            "Conditional approval extended",
            "条件付き承認の期限延長",
            "조건부 허가 기한 연장",
        ),
        "renewed": ("Renewed", "更新", "갱신"),
        "indication_added": ("Indication added", "効能・効果の追加", "적응증 추가"),
        "indication_removed": ("Indication removed", "効能・効果の削除", "적응증 삭제"),
        "category_changed": ("Legal category changed", "法的区分の変更", "법적 분류 변경"),
        "holder_changed": ("Holder changed", "承認取得者の変更", "허가권자 변경"),
        "marketing_stopped": (
            "Marketing stopped (licence kept)",
            "販売中止（承認は存続）",
            "판매 중단(허가 유지)",
        ),
        "marketing_resumed": ("Marketing resumed", "販売再開", "판매 재개"),
        "suspended": ("Suspended", "停止", "정지"),
        "reinstated": ("Reinstated", "再開", "재개"),
        "withdrawn": ("Withdrawn", "取下げ", "취하"),
        "revoked": ("Revoked", "取消し", "취소"),
        "expired": ("Expired", "失効", "만료"),
        "not_renewed": ("Not renewed", "更新されず", "갱신되지 않음"),
        "full_application_filed": (
            "Full approval applied for",
            "本承認を申請",
            "정식 허가 신청",
        ),
    },
    "conditional_outcome": {
        "converted": ("converted to full approval", "本承認へ移行", "정식 허가로 전환"),
        "renewed": ("renewed", "期限延長・更新", "연장·갱신"),
        "full_application_pending": (
            "full approval applied for, pending",
            "本承認申請中",
            "정식 허가 신청 심사 중",
        ),
        "expired": ("expired", "期限切れ", "만료"),
        "not_renewed": ("not renewed", "更新されず", "갱신되지 않음"),
        "withdrawn": ("withdrawn", "取下げ", "취하"),
        "revoked": ("revoked", "取消し", "취소"),
        "in_term": ("within its term", "期限内", "기한 내"),
    },
    "pathway": {
        "standard": ("Standard approval", "通常承認", "일반 허가"),
        "conditional_time_limited": (
            "Conditional and time-limited approval",
            "条件及び期限付承認",
            "조건 및 기한부 허가",
        ),
        "conditional": ("Conditional approval", "条件付き承認", "조건부 허가"),
        "accelerated": ("Accelerated approval", "迅速承認(加速承認)", "가속 승인"),
        "exceptional_circumstances": (
            "Approval under exceptional circumstances",
            "例外的状況下での承認",
            "예외적 상황에서의 허가",
        ),
        "device_approval": (
            "Approval as a medical device",
            "医療機器としての承認",
            "의료기기 허가",
        ),
        "other": _OTHER,
    },
    "designation": {
        "orphan": ("Orphan designation", "希少疾病用指定", "희귀의약품 지정"),
        "sakigake": ("SAKIGAKE designation", "先駆け審査指定", "사키가케(선구적 제품) 지정"),
        "rmat": (
            "Regenerative Medicine Advanced Therapy (RMAT)",
            "再生医療先端治療(RMAT)指定",
            "첨단재생의료치료제(RMAT) 지정",
        ),
        "breakthrough_therapy": (
            "Breakthrough therapy designation",
            "画期的治療薬(ブレイクスルーセラピー)指定",
            "혁신치료제 지정",
        ),
        "fast_track": ("Fast track designation", "ファストトラック指定", "패스트트랙 지정"),
        "priority_review": ("Priority review", "優先審査", "우선심사"),
        "prime": ("PRIME (priority medicines)", "PRIME(優先医薬品)", "PRIME(우선 의약품)"),
        "accelerated_assessment": ("Accelerated assessment", "迅速評価", "신속 평가"),
        "expedited_review": ("Expedited review", "迅速処理", "신속처리"),
        "advanced_regenerative_bio": (
            "Advanced regenerative bio designation",
            "先端再生バイオ医薬品の指定",
            "첨단재생바이오 지정",
        ),
    },
    "source_kind": {
        "regulator": ("Regulator", "規制当局", "규제기관"),
        "company": ("Company", "企業", "기업"),
        "peer_reviewed": ("Peer-reviewed", "査読付き文献", "동료 심사 문헌"),
        "registry": ("Registry", "登録データベース", "등록 데이터베이스"),
        "news": ("News", "ニュース", "뉴스"),
        "other": _OTHER,
    },
    "profile_origin": {
        "autologous": _AUTO,
        "allogeneic": _ALLO,
        "xenogeneic": _XENO,
        "none": ("No cells (cell-free)", "細胞を含まない", "세포 없음"),
    },
    "intended_function": {
        "structural_repair": ("Structural repair", "構造の修復", "구조의 복원"),
        "disease_treatment": ("Treating a disease", "疾患の治療", "질병 치료"),
        "hematopoietic_reconstitution": (
            "Haematopoietic reconstitution",
            "造血の再構築",
            "조혈 재건",
        ),
        "cosmetic_augmentation": ("Cosmetic augmentation", "美容目的の増強", "미용 목적의 보강"),
        "reproductive": ("Reproductive use", "生殖補助", "생식 보조"),
    },
    "donor_relation": {
        "self": ("The patient", "本人", "본인"),
        "first_or_second_degree_relative": (
            "First- or second-degree relative",
            "一親等または二親等の血族",
            "1촌 또는 2촌 혈족",
        ),
        "unrelated": ("Unrelated donor", "非血縁者", "비혈연 공여자"),
        "not_applicable": _NA,
    },
    "processing_step": {
        "culture_expansion": ("Culture and expansion", "培養・増殖", "배양 및 증식"),
        "enzymatic_digestion": ("Enzymatic digestion", "酵素処理", "효소 처리"),
        "activation": ("Activation", "活性化", "활성화"),
        "genetic_modification": ("Genetic modification", "遺伝子改変", "유전자 변형"),
        "selection": ("Selection", "選別", "선별"),
        "cutting": ("Cutting", "切断", "절단"),
        "grinding": ("Grinding", "粉砕", "분쇄"),
        "shaping": ("Shaping", "成形", "성형"),
        "centrifugation": ("Centrifugation", "遠心分離", "원심분리"),
        "concentration": ("Concentration", "濃縮", "농축"),
        "separation": ("Separation", "分離", "분리"),
        "freezing": ("Freezing", "凍結", "동결"),
        "thawing": ("Thawing", "解凍", "해동"),
        "lyophilisation": ("Freeze-drying", "凍結乾燥", "동결건조"),
        "irradiation": ("Irradiation", "放射線照射", "방사선 조사"),
        "washing": ("Washing", "洗浄", "세척"),
        "filtration": ("Filtration", "ろ過", "여과"),
        "sterilisation": ("Sterilisation", "滅菌", "멸균"),
        "differentiation": ("Differentiation", "分化誘導", "분화 유도"),
        "soaking_in_antibiotics": (
            "Soaking in antibiotics",
            "抗生物質への浸漬",
            "항생제 침지",
        ),
    },
    "cell_kind": {
        "platelets": ("Platelets (PRP and the like)", "血小板(PRP等)", "혈소판(PRP 등)"),
        "immune_cells": ("Immune cells", "免疫細胞", "면역세포"),
        "other": _OTHER,
    },
    "provider": {
        "clinic": ("Clinic", "診療所", "의원"),
        "hospital": ("Hospital", "病院", "병원"),
        "company": ("Company (product approval)", "企業(製品承認)", "기업(제품 허가)"),
    },
    "tier_event_kind": {
        "enforcement": ("Enforcement action", "行政処分等", "행정 처분"),
        "amendment": ("Amendment", "改正", "개정"),
        "start": ("Entry into force", "施行", "시행"),
        "other": _OTHER,
    },
    "copy_kind": {
        "mirror": ("Mirror", "ミラーサイト", "미러 사이트"),
        "proxy": ("Proxy", "プロキシ", "프록시"),
        "document_sharing": ("Document-sharing site", "文書共有サイト", "문서 공유 사이트"),
        "scrape_repository": ("Scraped copy", "転載データ", "수집 사본"),
        "cache": ("Cache", "キャッシュ", "캐시"),
        "forum": ("Forum", "掲示板", "게시판"),
        "social": ("Social media", "ソーシャルメディア", "소셜 미디어"),
        "ai_summary": ("AI summary", "AIによる要約", "AI 요약"),
        "link_shortener": ("Link shortener", "短縮URL", "단축 URL"),
        "bare_ip": ("Bare IP address", "IPアドレスのみのURL", "IP 주소만 있는 URL"),
    },
    "stage": {
        "phase1": ("Phase 1", "第1相", "1상"),
        "phase1_2": ("Phase 1/2", "第1/2相", "1/2상"),
        "phase2": ("Phase 2", "第2相", "2상"),
        "phase3": ("Phase 3", "第3相", "3상"),
        "filed": ("Filed for approval", "承認申請中", "허가 신청"),
        "approved": ("Approved", "承認", "허가"),
    },
    "program_status": {
        "active": ("Active", "開発中", "개발 중"),
        "discontinued": ("Discontinued", "開発中止", "개발 중단"),
        "on_hold": ("On hold", "開発保留", "개발 보류"),
        "unknown": _UNKNOWN,
    },
    "partner_role": {
        "licensee": ("Licensee", "ライセンス先", "라이선스 도입사"),
        "partner": ("Partner", "提携先", "제휴사"),
        "co_developer": ("Co-developer", "共同開発者", "공동 개발사"),
        "distributor": ("Distributor", "販売元", "유통사"),
    },
    # ------------------------------------------------------------------ trials (trials/record.py)
    "trial_label": {
        "cell_therapy": ("Cell therapy", "細胞治療", "세포치료"),
        "hsct_procedure": (
            "Haematopoietic stem cell transplant (procedure)",
            "造血幹細胞移植(手技)",
            "조혈모세포이식(시술)",
        ),
        "acellular_cell_derived": (
            "Cell-derived but cell-free (e.g. exosomes)",
            "細胞由来の無細胞製品(エクソソーム等)",
            "세포 유래 무세포 제품(엑소좀 등)",
        ),
        "not_cell": ("Not a cell therapy", "細胞治療ではない", "세포치료 아님"),
    },
    "trial_phase": {
        "early_1": ("Early phase 1", "早期第1相", "초기 1상"),
        "1": ("Phase 1", "第1相", "1상"),
        "2": ("Phase 2", "第2相", "2상"),
        "3": ("Phase 3", "第3相", "3상"),
        "4": ("Phase 4", "第4相", "4상"),
        "na": _NA,
    },
    "trial_status": {
        "not_yet_recruiting": ("Not yet recruiting", "募集前", "모집 전"),
        "recruiting": ("Recruiting", "募集中", "모집 중"),
        "enrolling_by_invitation": ("Enrolling by invitation", "招待による登録", "초청 등록"),
        "active_not_recruiting": (
            "Active, not recruiting",
            "実施中(募集終了)",
            "진행 중(모집 종료)",
        ),
        "suspended": ("Suspended", "中断", "중단"),
        "terminated": ("Terminated", "中止", "조기 종료"),
        "completed": ("Completed", "完了", "완료"),
        "withdrawn": ("Withdrawn", "取下げ", "철회"),
        "unknown": _UNKNOWN,
    },
    "sponsor_class": {
        "industry": ("Industry", "企業", "기업"),
        "academic": ("Academic", "大学・研究機関", "대학·연구기관"),
        "government": ("Government", "政府機関", "정부기관"),
        "other": _OTHER,
        "unknown": _UNKNOWN,
    },
    "cell_family": {
        "MSC": ("Mesenchymal stem cells (MSC)", "間葉系幹細胞(MSC)", "중간엽줄기세포(MSC)"),
        "CAR_T": ("CAR-T cells", "CAR-T細胞", "CAR-T 세포"),
        "CAR_NK": ("CAR-NK cells", "CAR-NK細胞", "CAR-NK 세포"),
        "NK": ("NK cells", "NK細胞", "NK 세포"),
        "TIL": (
            "Tumour-infiltrating lymphocytes (TIL)",
            "腫瘍浸潤リンパ球(TIL)",
            "종양침윤림프구(TIL)",
        ),
        "T_cell_other": ("Other T cells", "その他のT細胞", "기타 T 세포"),
        "dendritic": ("Dendritic cells", "樹状細胞", "수지상세포"),
        "iPSC_derived": ("Derived from iPS cells", "iPS細胞由来", "유도만능줄기세포(iPSC) 유래"),
        "ESC_derived": ("Derived from ES cells", "ES細胞由来", "배아줄기세포(ESC) 유래"),
        "HSC": ("Haematopoietic stem cells (HSC)", "造血幹細胞(HSC)", "조혈모세포(HSC)"),
        "chondrocyte": ("Chondrocytes", "軟骨細胞", "연골세포"),
        "keratinocyte_or_epithelial": (
            "Keratinocytes or epithelial cells",
            "角化細胞・上皮細胞",
            "각질형성세포·상피세포",
        ),
        "islet": ("Pancreatic islets", "膵島", "췌도"),
        "SVF_or_BMMNC": (
            "Stromal vascular fraction or bone-marrow mononuclear cells",
            "間質血管細胞群・骨髄単核球",
            "기질혈관분획·골수단핵세포",
        ),
        "other": _OTHER,
    },
    "trial_origin": {
        "autologous": _AUTO,
        "allogeneic": _ALLO,
        "mixed": ("Autologous and allogeneic", "自家と同種の両方", "자가와 동종 모두"),
        "unknown": _UNKNOWN,
    },
    # ------------------------------------------------------------------ the classifier's extras
    "jp_product_class": {
        "human_somatic_cell_processed": (
            "Human somatic cell processed product",
            "ヒト体細胞加工製品",
            "인체 체세포 가공제품",
        ),
        "human_somatic_stem_cell_processed": (
            "Human somatic stem cell processed product",
            "ヒト体性幹細胞加工製品",
            "인체 체성줄기세포 가공제품",
        ),
        "human_es_ips_cell_processed": (
            "Human ES cell / iPS cell processed product",
            "ヒト胚性幹細胞加工製品・ヒト人工多能性幹細胞加工製品",
            "인체 배아줄기세포·유도만능줄기세포 가공제품",
        ),
        "animal_cell_processed": (
            "Animal cell processed product",
            "動物細胞加工製品",
            "동물세포 가공제품",
        ),
        "gene_therapy": ("Gene therapy product", "遺伝子治療用製品", "유전자치료용 제품"),
    },
    "asrm_risk_class": {
        "I": ("Class I (highest risk)", "第一種", "제1종(최고 위험)"),
        "II": ("Class II", "第二種", "제2종"),
        "III": ("Class III (lowest risk)", "第三種", "제3종(최저 위험)"),
        "not_applicable": _NA,
    },
    "kr_research_risk": {
        "high": ("High risk", "高リスク", "고위험"),
        "medium": ("Medium risk", "中リスク", "중위험"),
        "low": ("Low risk", "低リスク", "저위험"),
        "uncertain": ("Undetermined", "未確定", "미정"),
        "out_of_scope": ("Outside the Act's scope", "法の対象外", "법 적용 대상 아님"),
    },
    "hctp_status": {
        "hct_p": ("An HCT/P", "HCT/Pに該当", "HCT/P에 해당"),
        "not_hct_p": ("Not an HCT/P", "HCT/Pに該当しない", "HCT/P에 해당하지 않음"),
    },
    "tw_preparation_class": {
        "gene_therapy": ("Gene therapy preparation", "遺伝子治療製剤", "유전자치료제제"),
        "cell_therapy": ("Cell therapy preparation", "細胞治療製剤", "세포치료제제"),
        "tissue_engineered": (
            "Tissue-engineered preparation",
            "組織工学製剤",
            "조직공학제제",
        ),
        "combined": ("Combined preparation", "複合製剤", "복합제제"),
    },
    "yes_no": {
        "true": ("yes", "はい", "예"),
        "false": ("no", "いいえ", "아니요"),
        "unknown": ("unknown", "不明", "알 수 없음"),
    },
}

#: The enum behind each vocabulary that has one (the tests check every member has a label).
ENUM_VOCABS: dict[str, type[Enum]] = {
    "modality": vocab.Modality,
    "cell_class": vocab.CellClass,
    "stem_type": vocab.StemType,
    "origin": vocab.Origin,
    "manipulation": vocab.Manipulation,
    "status": vocab.Status,
    "status_event": vocab.StatusEventType,
    "conditional_outcome": vocab.ConditionalOutcome,
    "pathway": vocab.Pathway,
    "designation": vocab.Designation,
    "source_kind": vocab.SourceKind,
    "profile_origin": vocab.ProfileOrigin,
    "intended_function": vocab.IntendedFunction,
    "donor_relation": vocab.DonorRelation,
    "processing_step": vocab.ProcessingStep,
    "provider": vocab.Provider,
    "cell_kind": vocab.CellKind,
    "tier_event_kind": vocab.TierEventKind,
    "copy_kind": vocab.CopyKind,
    "stage": vocab.Stage,
    "program_status": vocab.ProgramStatus,
    "partner_role": vocab.PartnerRole,
}

#: Field (attribute, filter, column) names -> label.
FIELDS: dict[str, L] = {
    "slug": ("Slug", "スラッグ", "슬러그"),
    "name": ("Common name", "一般名", "일반명"),
    "brand_name": ("Brand", "販売名", "제품명"),
    "local_name": ("Local name", "現地名", "현지 명칭"),
    "developer": ("Developer", "開発企業", "개발사"),
    "holder": ("Holder", "承認取得者", "허가권자"),
    "modality": ("Modality", "治療の種類", "치료 유형"),
    "cell_class": ("Cell class", "細胞の分類", "세포 분류"),
    "stem_type": ("Stem cell type", "幹細胞の種類", "줄기세포 유형"),
    "origin": ("Origin", "細胞の由来", "세포 유래"),
    "tissue_source": ("Tissue source", "採取組織", "채취 조직"),
    "cell_type": ("Cell type", "細胞の種類", "세포 종류"),
    "manipulation": ("Manipulation", "加工の程度", "조작 정도"),
    "genetically_modified": ("Genetically modified", "遺伝子改変", "유전자 변형"),
    "status": ("Status", "状況", "상태"),
    "pathway": ("Pathway", "承認制度", "허가 경로"),
    "jurisdiction": ("Jurisdiction", "法域", "관할"),
    "approval_date": ("First approval", "初回承認日", "최초 허가일"),
    "category": ("Legal category", "法的区分", "법적 분류"),
    "designations": ("Designations", "指定", "지정"),
    "designation_dates": ("Designation dates", "指定日", "지정일"),
    "designation_totals": ("Published designation totals", "指定件数の公表値", "지정 건수 공표치"),
    # the classifier's profile
    "homologous_use": ("Homologous use", "相同利用", "동종 기능 사용"),
    "combined_with_device_or_drug": (
        "Combined with a device or drug",
        "医療機器・医薬品との組合せ",
        "의료기기·의약품과 결합",
    ),
    "integral_medical_device": (
        "Medical device as an integral part",
        "一体不可分の医療機器",
        "일체형 의료기기",
    ),
    "systemic_effect": ("Systemic effect", "全身作用", "전신 작용"),
    "depends_on_living_cell_metabolism": (
        "Depends on living cells' metabolism",
        "生細胞の代謝に依存",
        "살아있는 세포의 대사에 의존",
    ),
    "stem_cell": ("Stem or progenitor cells", "幹細胞・前駆細胞", "줄기세포·전구세포"),
    "pluripotent": ("Pluripotent (ES or iPS)", "多能性(ES・iPS)", "만능성(ES·iPS)"),
    "viable_cells": ("Living cells", "生細胞", "살아있는 세포"),
    "intended_function": ("Intended function", "使用目的", "사용 목적"),
    "same_surgical_procedure": (
        "Same surgical procedure",
        "同一手術内での使用",
        "동일 수술 내 사용",
    ),
    "donor_relation": ("Donor", "ドナー", "공여자"),
    "cosmetic_purpose": ("Cosmetic purpose", "美容目的", "미용 목적"),
    "processing_steps": ("Processing steps", "加工の工程", "가공 공정"),
    "provider": ("Who gives it to patients", "提供者", "제공 주체"),
    "blood_product": ("Blood or a blood product", "血液・血液製剤", "혈액·혈액제제"),
    "cell_kind": ("Kind of cells", "細胞の種類(区分)", "세포 유형"),
    "cell_derived": (
        "Made of what cells secrete (exosomes, vesicles)",
        "細胞が分泌する物質(エクソソーム等)",
        "세포 분비물(엑소좀 등)",
    ),
    # the classifier's extras
    "product_class": ("Product class", "製品の類別", "제품 분류"),
    "stage": ("Stage", "開発段階", "개발 단계"),
    "program_status": ("Program status", "開発の状況", "개발 상태"),
    "cell_family": ("Cell family", "細胞の種類", "세포 계열"),
    "programs": ("Programs", "開発プログラム数", "개발 프로그램 수"),
    "asrm_risk_class": (
        "Risk class under the ASRM",
        "再生医療等安全性確保法のリスク分類",
        "재생의료법상 위험 분류",
    ),
    "hctp_status": ("HCT/P status", "HCT/Pとしての扱い", "HCT/P 해당 여부"),
    "preparation_class": ("Preparation class", "製剤の分類", "제제 분류"),
    "clinical_research_risk": (
        "Clinical research risk",
        "臨床研究のリスク区分",
        "임상연구 위험도",
    ),
}

#: The vocabulary of each classifier extra's values.
EXTRA_VOCABS = {
    "product_class": "jp_product_class",
    "asrm_risk_class": "asrm_risk_class",
    "clinical_research_risk": "kr_research_risk",
    "hctp_status": "hctp_status",
    "preparation_class": "tw_preparation_class",
}

JURISDICTION_NAMES: dict[str, L] = {
    "AE": ("United Arab Emirates", "アラブ首長国連邦", "아랍에미리트"),
    "BH": ("Bahrain", "バーレーン", "바레인"),
    "CN": ("China (mainland)", "中国(本土)", "중국(본토)"),
    "EU": ("European Union", "欧州連合", "유럽연합"),
    "IN": ("India", "インド", "인도"),
    "IR": ("Iran", "イラン", "이란"),
    "JP": ("Japan", "日本", "일본"),
    "KR": ("Republic of Korea", "韓国", "대한민국"),
    "MY": ("Malaysia", "マレーシア", "말레이시아"),
    "SA": ("Saudi Arabia", "サウジアラビア", "사우디아라비아"),
    "SG": ("Singapore", "シンガポール", "싱가포르"),
    "TW": ("Taiwan", "台湾", "대만"),
    "US": ("United States", "米国", "미국"),
}

#: (jurisdiction, category id) -> label: the jurisdiction files' categories and the
#: classifier's own. The English and local-language names of a file's categories come from the
#: file; these fill the other languages (and name the classifier's categories the files lack).
CATEGORY_LABELS: dict[tuple[str, str], L] = {
    # Japan: PMD Act regenerative medical products (再生医療等製品) and their classes
    ("JP", "human_somatic_cell_processed"): (
        "Human somatic cell processed product",
        "ヒト体細胞加工製品",
        "인체 체세포 가공제품(일본)",
    ),
    ("JP", "human_somatic_stem_cell_processed"): (
        "Human somatic stem cell processed product",
        "ヒト体性幹細胞加工製品",
        "인체 체성줄기세포 가공제품(일본)",
    ),
    ("JP", "human_es_ips_cell_processed"): (
        "Human ES cell / iPS cell processed product",
        "ヒト胚性幹細胞加工製品・ヒト人工多能性幹細胞加工製品",
        "인체 배아줄기세포·유도만능줄기세포 가공제품(일본)",
    ),
    ("JP", "animal_cell_processed"): (
        "Animal cell processed product",
        "動物細胞加工製品",
        "동물세포 가공제품(일본)",
    ),
    ("JP", "gene_therapy"): ("Gene therapy product", "遺伝子治療用製品", "유전자치료용 제품(일본)"),
    ("JP", "medical_device_pal"): (
        "Medical device under the former Pharmaceutical Affairs Law",
        "医療機器(旧薬事法)",
        "의료기기(일본 구 약사법)",
    ),
    ("JP", "regenerative_medical_product_cell_processed"): (
        "Regenerative medical product: cell processed product",
        "再生医療等製品(細胞加工製品)",
        "재생의료등제품(세포가공제품)",
    ),
    ("JP", "regenerative_medical_product_gene_therapy"): (
        "Regenerative medical product: gene therapy product",
        "再生医療等製品(遺伝子治療用製品)",
        "재생의료등제품(유전자치료용 제품)",
    ),
    ("JP", "not_regenerative_medical_product"): (
        "Not a regenerative medical product",
        "再生医療等製品に該当しない",
        "재생의료등제품에 해당하지 않음",
    ),
    # Korea: advanced biological products (첨단바이오의약품)
    ("KR", "cell_therapy_product"): ("Cell therapy product", "細胞治療製剤(韓国)", "세포치료제"),
    ("KR", "gene_therapy_product"): (
        "Gene therapy product",
        "遺伝子治療製剤(韓国)",
        "유전자치료제",
    ),
    ("KR", "tissue_engineered_product"): (
        "Tissue-engineered product",
        "組織工学製剤(韓国)",
        "조직공학제제",
    ),
    ("KR", "advanced_combination_product"): (
        "Advanced combination product",
        "先端バイオ融複合製剤(韓国)",
        "첨단바이오융복합제제",
    ),
    ("KR", "not_a_biologic_under_cell_therapy_definition"): (
        "Not an advanced biological product (outside the cell therapy definition)",
        "先端バイオ医薬品に該当しない(細胞治療製剤の定義外)",
        "첨단바이오의약품에 해당하지 않음(세포치료제 정의 밖)",
    ),
    ("TW", "not_regenerative_medicine_preparation"): (
        "Not a regenerative medicine preparation",
        "再生医療製剤に該当しない",
        "재생의료제제에 해당하지 않음",
    ),
    # United States
    ("US", "biologic_351"): (
        "351 biologic (licensed under PHS Act section 351, BLA)",
        "351条生物製剤(PHS法351条に基づくBLA承認)",
        "351조 생물의약품(PHS법 351조에 따른 BLA 허가)",
    ),
    ("US", "hct_p_361"): (
        "361 HCT/P (no premarket review)",
        "361条HCT/P(市販前審査なし)",
        "361조 HCT/P(시판 전 심사 없음)",
    ),
    ("US", "device"): (
        "Medical device (PMA / HDE / 510(k))",
        "医療機器(PMA/HDE/510(k))",
        "의료기기(PMA/HDE/510(k))",
    ),
    ("US", "exempt_1271_15b"): (
        "Same surgical procedure exception (outside 21 CFR 1271)",
        "同一手術内の例外(21 CFR 1271の対象外)",
        "동일 수술 예외(21 CFR 1271 적용 제외)",
    ),
    ("US", "not_hct_p"): (
        "Not an HCT/P (outside 21 CFR 1271)",
        "HCT/Pに該当しない(21 CFR 1271の対象外)",
        "HCT/P에 해당하지 않음(21 CFR 1271 적용 제외)",
    ),
    # European Union: advanced therapy medicinal products
    ("EU", "sctmp"): (
        "Somatic cell therapy medicinal product (sCTMP)",
        "体細胞治療用医薬品(sCTMP)",
        "체세포치료 의약품(sCTMP)",
    ),
    ("EU", "tep"): ("Tissue engineered product (TEP)", "組織工学製品(TEP)", "조직공학제품(TEP)"),
    ("EU", "gtmp"): (
        "Gene therapy medicinal product (GTMP)",
        "遺伝子治療用医薬品(GTMP)",
        "유전자치료 의약품(GTMP)",
    ),
    ("EU", "combined_atmp"): ("Combined ATMP", "複合ATMP", "복합 ATMP"),
    ("EU", "not_atmp"): ("Not an ATMP", "ATMPに該当しない", "ATMP에 해당하지 않음"),
    # other jurisdictions
    ("BH", "registered_medicine"): (
        "Registered medicine",
        "登録医薬品",
        "등록 의약품",
    ),
    ("AE", "registered_medicinal_product"): (
        "Registered medicinal product (biological)",
        "登録医薬品(生物学的製剤)",
        "등록 의약품(생물의약품)",
    ),
    ("CN", "therapeutic_biological_product"): (
        "Therapeutic biological product (cell therapy registered as a drug)",
        "治療用生物製品(医薬品として登録される細胞治療)",
        "치료용 생물제품(의약품으로 등록된 세포치료)",
    ),
    ("IN", "new_drug_cell_derived"): (
        "New drug (cell or stem cell derived product)",
        "新医薬品(細胞・幹細胞由来製品)",
        "신약(세포·줄기세포 유래 제품)",
    ),
    ("IR", "atmp_cell_product"): (
        "Licensed cell therapy / ATMP product",
        "承認された細胞治療・ATMP製品",
        "허가된 세포치료·ATMP 제품",
    ),
    ("MY", "cgtp_registered"): (
        "Registered (high-risk) cell and gene therapy product",
        "登録細胞・遺伝子治療製品(高リスク)",
        "등록 세포·유전자치료 제품(고위험)",
    ),
    ("SA", "biological_atmp"): (
        "Biological product: advanced therapy medicinal product",
        "生物学的製剤:先端医療医薬品",
        "생물의약품: 첨단치료 의약품",
    ),
    ("SG", "class_2_ctgtp"): (
        "Class 2 CTGTP (higher risk; registration required)",
        "クラス2 CTGTP(高リスク、登録が必要)",
        "2등급 CTGTP(고위험, 등록 필요)",
    ),
    ("SG", "class_1_ctgtp"): (
        "Class 1 CTGTP (lower risk; notification)",
        "クラス1 CTGTP(低リスク、届出)",
        "1등급 CTGTP(저위험, 신고)",
    ),
    ("TW", "biological_drug"): (
        "Biological drug (Pharmaceutical Affairs Act; cell/gene therapy before 2026)",
        "生物薬品(薬事法、2026年以前の細胞・遺伝子治療)",
        "생물의약품(약사법, 2026년 이전 세포·유전자치료)",
    ),
    ("TW", "regenerative_medicine_preparation"): (
        "Regenerative medicine preparation (from 2026-01-01)",
        "再生医療製剤(2026年1月1日から)",
        "재생의료제제(2026-01-01부터)",
    ),
}


#: Analysis table columns whose cells hold a vocabulary's codes -> that vocabulary
#: (``"jurisdiction"``: a jurisdiction code, shown by its name).
COLUMN_VOCABS = {
    "modality": "modality",
    "origin": "origin",
    "status": "status",
    "pathway": "pathway",
    "conditional_outcome": "conditional_outcome",
    "stem_type": "stem_type",
    "cell_class": "cell_class",
    "manipulation": "manipulation",
    "jurisdiction": "jurisdiction",
    "providers": "provider",
    "designation": "designation",
    "first_jurisdiction": "jurisdiction",
    "jurisdictions": "jurisdiction",
    "from": "jurisdiction",
    "to": "jurisdiction",
}

#: Analysis table columns whose cells hold a vocabulary's English label rather than its code
#: (the pipeline chapter's tables, written for the English report) -> that vocabulary.
LABEL_COLUMNS = {"cell_family": "cell_family", "stage": "stage", "program_status": "program_status"}

#: Words the analysis tables write into a cell themselves (a missing value, a row of its own).
CELL_WORDS: dict[str, L] = {
    "not recorded": ("not recorded", "記録なし", "기록 없음"),
    "none recorded": ("none recorded", "記録なし", "기록 없음"),
    "none": ("none", "なし", "없음"),
    "first anywhere": ("first anywhere", "いずれかで最初の承認", "어디서든 최초 허가"),
    "not yet complete": ("not yet complete", "まだ網羅していない", "아직 완전하지 않음"),
}
