/**
 * The validation set's pools: people, companies, titles, streets and towns that neither the development set nor the
 * held-out set draws from. Rules are tuned on the development set and checked here, card by card, before anyone
 * measures the held-out set: a rule that only knows the development pools' words shows up here first.
 * Written from scratch for this purpose (2026-12-07), without reference to the held-out pools.
 */

export const ENGLISH_GIVEN = [
  'Clementine',
  'Jasper',
  'Beatrice',
  'Ambrose',
  'Winifred',
  'Duncan',
  'Lysander',
  'Fletcher',
  'Marigold',
  'Ellis',
  'Leopold',
  'Rosamund',
  'Percival',
  'Lachlan',
  'Cordelia',
  'Ottilie',
];
export const ENGLISH_FAMILY = [
  'Ravenscroft',
  'Pickering',
  'Carrington',
  'Drummond',
  'Cotterill',
  'Gallagher',
  'Entwistle',
  'Hargreaves',
  'Muldoon',
  'Montgomery',
  'Villiers',
  'Sutherland',
  'Thistlewood',
  'Underhill',
  'Wainwright',
  'Yardley',
];
export const APOSTROPHE_FAMILY = ["O'Donovan", "O'Halloran", "M'Bala", "O'Keeffe", "D'Amato", "O'Flaherty"];
export const IRISH_GIVEN = ['Fionnuala', 'Cathal', 'Eimear', 'Donncha', 'Sadhbh'];
export const HYPHEN_GIVEN = ['Lise-Lotte', 'Per-Olof', 'Ann-Sofie', 'Marie-Thérèse', 'Sophie-Anne'];
export const HYPHEN_FAMILY = ['Vasquez-Ibarra', 'Fitzroy-Hale', 'Lindgren-Ek', 'Ortega-Ruiz', 'Baxter-Lowe'];
export const INITIAL_FAMILY = ['Pemberton', 'Castellanos', 'Nakashima', 'Oyelaran', 'Szymanski', 'Holmgren'];
export const INDIAN_NAMES: Array<[string, string]> = [
  ['Gayatri', 'Hegde'],
  ['Mukund', 'Thakkar'],
  ['Revathi', 'Namboodiri'],
  ['Pranav', 'Joglekar'],
  ['Deepika', 'Rao'],
];
export const AFRICAN_NAMES: Array<[string, string]> = [
  ['Ifeoluwa', 'Okorie'],
  ['Nomvula', 'Sithole'],
  ['Ekow', 'Quansah'],
  ['Wambui', 'Njoroge'],
  ['Chinedu', 'Anyanwu'],
];
export const KOREAN_GIVEN = ['Seo-jun', 'Ye-rin', 'Do-yoon', 'Tae-hyun', 'Gyu-ri'];
export const CHINESE_GIVEN = ['Yuxuan', 'Haoyu', 'Mingyue', 'Zixuan', 'Ruoxi'];
export const JAPANESE_GIVEN = ['Takeshi', 'Momoko', 'Haruto', 'Natsumi', 'Shigeru'];
export const TITLES = [
  'Senior Data Engineer',
  'Director, Strategic Accounts',
  'Chief Revenue Officer',
  'Vice President, Human Resources',
  'Partner, Mergers & Acquisitions',
  'Platform Reliability Lead',
  'Senior Manager, Treasury',
  'Head of Compliance, APAC',
  'Facilities Manager',
  'Director, Regulatory Affairs',
  'Manager, Field Operations',
  'Customer Success Lead',
  'Associate Director, Clinical Affairs',
  'Principal Product Designer',
  'Co-Founder & Chief Scientist',
  'Chief Sustainability Officer',
  'Consultant, Digital Transformation',
  'Communications Officer',
  'Staff Scientist, Genomics',
  'Senior Counsel, Employment',
  'Key Account Manager',
  'Program Manager',
  'Head of Finance',
  'Paralegal',
  'Portfolio Manager',
];
export const COMPANY_STEMS = [
  'Wrenfield',
  'Stonebridge',
  'Larkspur',
  'Thistledown',
  'Bellwether',
  'Wyvernhall',
  'Moorland',
  'Marrowby',
  'Silvermoon',
  'Aldergate',
  'Quicksilver',
  'Tallowmere',
  'Beacon Hill',
  'Brackenridge',
  'Shearwater',
  'Sunhaven',
  'Daebak',
  'Yeonhwa',
  'Hoshizora',
  'Fujimoto',
  'Tianyu',
  'Kampung',
  'Eikenhof',
  'Sonnenberg',
  'Aurelia',
  'Castellan',
  'Obsidian',
  'Cindervale',
];
export const SECTORS = [
  'Fabrication',
  'Therapeutics',
  'Orthopedics',
  'Hydraulics',
  'Advisors',
  'Ceramics',
  'Works',
  'Solutions',
  'Medical',
  'Aerospace',
  'Telecom',
  'Textiles',
  'Freight',
  'Acoustics',
];
export const STREETS = ['Wheelwright', 'Hawthorn', 'Beacon', 'Mill', 'Lakeview', 'Foundry', 'Tanner', 'Prospect'];
export const US_CITIES: Array<[string, string, string]> = [
  ['Cincinnati', 'OH', '45202'],
  ['Albuquerque', 'NM', '87102'],
  ['Milwaukee', 'WI', '53202'],
  ['Sacramento', 'CA', '95814'],
  ['Salt Lake City', 'UT', '84111'],
];
export const UK_CITIES: Array<[string, string]> = [
  ['Nottingham', 'NG1 5FS'],
  ['Sheffield', 'S1 2HE'],
  ['Norwich', 'NR2 1NH'],
  ['Aberdeen', 'AB10 1XL'],
];
export const DE_STREETS = ['Bäckerstraße', 'Kurfürstendamm', 'Schlossstraße', 'Mühlenweg'];
export const DE_CITIES: Array<[string, string]> = [
  ['69117', 'Heidelberg'],
  ['79098', 'Freiburg im Breisgau'],
  ['48143', 'Münster'],
  ['37073', 'Göttingen'],
];
export const NL_ADDR: Array<[string, string]> = [
  ['Vismarkt', '9712 CB Groningen'],
  ['Neude', '3512 AE Utrecht'],
];
export const FR_ADDR: Array<[string, string]> = [
  ['rue Nationale', '59000 Lille'],
  ['rue Sainte-Catherine', '33000 Bordeaux'],
];
export const ES_ADDR: Array<[string, string]> = [
  ['Calle Colón', '46004 Valencia'],
  ['Carrer de Balmes', '08007 Barcelona'],
];
export const KR_ADDR: Array<[string, string]> = [
  ['Olympic-ro, Songpa-gu', 'Seoul 05551'],
  ['Gyeongchun-ro, Namdong-gu', 'Incheon 21565'],
];
export const JP_ADDR: Array<[string, string]> = [
  ['Roppongi, Minato-ku', 'Tokyo 106-6108'],
  ['Tenjin, Chuo-ku', 'Fukuoka 810-0001'],
];
export const CN_ADDR: Array<[string, string]> = [
  ['Renmin South Road, Wuhou District', 'Chengdu 610041'],
  ['Wensan Road, Xihu District', 'Hangzhou 310012'],
];
export const AU_ADDR: Array<[string, string]> = [
  ['Elizabeth Street', 'Hobart TAS 7000'],
  ['Northbourne Avenue', 'Canberra ACT 2601'],
];
export const CA_ADDR: Array<[string, string]> = [
  ['Barrington Street', 'Halifax, NS B3J 1Z2'],
  ['Broad Street', 'Regina, SK S4P 1Y2'],
];
export const IN_ADDR: Array<[string, string]> = [
  ['Park Street', 'Kolkata 700016'],
  ['Banjara Hills Road No. 12', 'Hyderabad 500034'],
];
export const IE_ADDR: Array<[string, string]> = [
  ["O'Connell Street", 'Limerick V94 T9PX'],
  ['Merrion Square', 'Dublin 2, D02 WK60'],
];
export const SG_ADDR = ['Tanjong Pagar Road', 'Orchard Road'];
export const MY_ADDR: Array<[string, string]> = [
  ['Jalan Bukit Bintang', '55100 Kuala Lumpur'],
  ['Jalan Gasing', '46000 Petaling Jaya'],
];
