"""News tone lexicon: Kiwi morpheme forms that carry a tone on their own, written by hand.

Negative: criticism, accusation, conflict, crime and fraud, damage and disaster, decline, risk.
Positive: praise, success, gains, agreement, relief and recovery. Words whose tone depends on what
moves (증가, 하락, 치솟다) are direction words in `sentiment.py` (UP/DOWN x GOOD/BAD), not here.
Kiwi's CoNg neighbours (`Kiwi.most_similar_morphemes`) were tried for expanding these lists and
rejected: they mix antonyms (급락 ~ 급등 0.85, 흑자 ~ 적자 0.85, 성공 ~ 실패 0.74); see
docs/method/sentiment.md.
The last line of each list (lex5) holds words found in the cross-validation errors of the news set's
train part after its fourth labelling round: 아프, 두렵, 무섭 are negative so that a negator turns them
into relief (`하나도 안 아파`, `두렵지 않아`); 안심, 괜찮, 타당, 앞당기 are positive.
The lines marked lex6 (round 5) hold the vocabulary of the topics the BIG Kinds export lacks: politics
(막말 공방: 적반하장, 내로남불, 겁박, 폄훼, 고성·몸싸움·강행), markets and companies (반토막, 워크아웃,
늑장, 하자), society (흉기, 난동, 산불, 심정지), sports and culture (완패, 실책, 퇴출 / 꺾다, 진출, 선방),
relief and good deeds (귀감, 표창, 구출, 완치); partly chosen from the train-part CV errors of the
written round-5 articles, so their CV figure flatters. 경신 left the positive list: a record takes the
direction of what set it (`가계 빚이 최대치를 경신`, `물가 상승률이 최고치를 경신` are bad news).
"""

from __future__ import annotations

NEG_WORDS = frozenset("""
비판 비난 규탄 반발 의혹 논란 갈등 피해 거짓말 거짓 허위 사기 조작 날조 왜곡 은폐 축소 위장
질타 맹비난 혹평 꼬집 지적 성토 항의 반대 반박 일축 공세 공방 충돌 대립 격돌 마찰 분쟁 싸움 파행 결렬 파업
보이콧 엄포 경고 협박 위협 폭거 막말 망언 실언 갑질 특혜 비리 횡령 배임 뇌물 부정 부당 불법 위반 탈법 편법
꼼수 생색 책임전가 떠넘기 탓 탄압 침해 혐오 분노 분통 불만 불신 원성 반감 비아냥 조롱 모욕 폭언 깡패 역겹
혐의 기소 구속 체포 검거 고발 고소 소송 징계 처벌 징역 유죄 과징금 과태료 벌금 압수수색 수사 덜미 붙잡
사고 참사 사망 숨지 부상 다치 희생 사상자 화재 붕괴 폭발 침수 재난 재해 폭우 폭염 한파 이재민
유출 해킹 마비 먹통 오류 결함 리콜 오작동 발열 취약 취약점 약점
중단 취소 철회 연기 보류 지연 차질 무산 좌초 불발 실패 패배 탈락 부진 악화 위기 타격 손실 손해 적자 부채
폭락 급락 추락 하한가 신저가 곤두박질 주저앉 급감 침체 둔화 불황 경색 폐업 파산 도산 부도 감원 해고 실업
연체 체불 강등 악재 우려 불안 불안감 공포 걱정 긴장 비상 빨간불 위험 리스크 불확실 불투명 의구심 의문
혼란 부작용 이상반응 후유증 감염 확산 유행 확진 집단감염 변이 무력화 부족 낭비 공백 실망 시름 고통 고충
당혹 충격 논쟁 시끌 구멍 허점 부실 미흡 역부족 엉터리 꼴찌 최악 최저치 눈덩이 속출 잇따르 폭주 새치기
대란 문제 단점 나쁘 나쁨 죽 가로채 속이 부풀리 미끼 시달리 어려움 곤란 위태 악몽 아찔 설전 팽배 이상반응 책임회피
악재 급락세 하락세 약세 적신호 경고등 먹구름 암초 난항 진통 표류 교착 파문 물의 시비 잡음 내홍 내분 분열 이탈 탈당 불복 저항 폭동 테러 폭행 살해 살인 범죄 성범죄 성추행 학대 폭력 착취 괴롭힘 차별 불공정 불평등 특권 적폐 부패 비위 일탈 사퇴 경질 해임 파면 탄핵 낙마 패소 실형 구형 송치 입건 적발 제재 배상 휴업 셧다운 품귀 쏠림 과열 거품 버블 돌려막기 빚 빚더미 압박 부담 한숨 아우성 울상 비명 직격탄 후폭풍 여파 몸살 홍역 악순환 정체 후퇴 역주행 퇴보 낙제 최하위 낙후 열악 허술 엉망 졸속 무능 무리 과도 지나치 남용 오남용 악용 탈세 횡포 먹튀 감산 구조조정
신중 기승 피싱 탈취 병목 찬밥 안타깝 깎아내리 짓밟 참패 피습 모독 냉소 실종 전복 대피 졸전 그치 총파업 미이행 혼잡
스캔들 음모론 가짜 괴담 선동 무책임 책임회피 우물쭈물 낑낑 용두사미 답답 창피 거부 기피 미루 반려 불허
아프 두렵 무섭 어지럽 어지러움 스러지 타계 폐쇄 격리 도난 훔치 늦 오리무중 미정
불편 유감 싸늘 자화자찬 평행선 고성 몸싸움 강행 날치기 완패 실책 실점 역전패 퇴출 박탈 무너지 탄식 오열 억울 허탈
과로사 유서 고비 불가피 적반하장 궤변 내로남불 방탄 겁박 보복 정쟁 독주 독단 오만 폄훼 비하 희화화 음해 흑색선전 엄벌
울먹 반토막 증발 물거품 뒷걸음 역성장 워크아웃 법정관리 유착 담합 성희롱 음주운전 뺑소니 도주 흉기 난동 마약 밀수 사칭
스미싱 랜섬웨어 침몰 결항 정전 동파 산사태 범람 가뭄 폭설 태풍 지진 산불 화상 중상 중태 의식불명 심정지 온열질환 식중독
하자 불량 누수 균열 디폴트 늑장 뭇매 역풍 쇼크 하향
""".split())

POS_WORDS = frozenset("""
호평 찬사 칭찬 칭송 격찬 극찬 환영 박수 감사 감동 호응 인기 지지 공감 만족 기대 기대감 희망 자신감
성공 성과 성취 달성 돌파 수상 우승 승리 선정 인정 입증 선도 도약 약진 쾌거 신기록 금메달
합의 타결 협력 협약 체결 제휴 상생 화해 협조 동의 찬성 화합 연대 공조 기부 성금
회복 반등 개선 호전 호조 호황 흑자 훈풍 활기 활성화 급등 상한가 신고가 최고치 호실적 수혜 이득 이익
승인 허가 허용 확보 안정 안정세 안도 해소 해결 해결책 극복 완화 면제 무사 다행 구하 건지
견조 결실 보상 제대로 적절 유리 편리 신화 기회 활약 이기 좋 덕분 무사히 경미 상향
호재 상승세 순항 탄력 활황 성황 선전 흥행 대박 돌풍 인기몰이 개가 쾌조 박차 청사진 환호 축하 격려 응원 혜택 보탬 기여 공헌 이바지 앞장 모범 우수 탁월 뛰어나 훌륭 최우수 석권 휩쓸 제패 완승 압승 낙관 긍정 긍정적 호의 우호 원만 해빙 진전 급진전 돌파구 물꼬 첫발 첫걸음 합격 가결 승소 석방 구제 살리 살아나 되살아나 활력 탈출 안착 정착 든든 튼튼 견고 건전 양호 각광 유망 성장세
만장일치 수용 역전승 명소
무분규 효과 효능 효과적 안전 순조 순조롭 원활 무혐의 무죄 정상화 재개 신뢰 희소식 낭보 청신호
안심 괜찮 기쁘 편안 환하 타당 앞당기 단축 간소 간편
절충 절충점 공감대 귀감 표창 꺾 진출 선방 연승 구출 생환 완치 퇴원 쾌유 훈훈 미담 선행 나눔 봉사 매진 서프라이즈
""".split())
