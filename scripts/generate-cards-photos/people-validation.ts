/**
 * The validation set's pools: people, companies, titles, streets and towns that neither the development set nor the
 * held-out set draws from. Rules are tuned on the development set and checked here, card by card, before anyone
 * measures the held-out set: a rule that only knows the development pools' words shows up here first.
 * Written from scratch for this purpose (2026-12-07), without reference to the held-out pools.
 */

export const ENGLISH_GIVEN = [
  'Harriet',
  'Jasper',
  'Beatrice',
  'Rupert',
  'Eleanor',
  'Duncan',
  'Imogen',
  'Fletcher',
  'Rosalind',
  'Ellis',
  'Juniper',
  'Barnaby',
  'Philippa',
  'Lachlan',
  'Cordelia',
  'Tobias',
];
export const ENGLISH_FAMILY = [
  'Ashworth',
  'Blackwood',
  'Carrington',
  'Drummond',
  'Fairweather',
  'Gallagher',
  'Hawthorne',
  'Kingsley',
  'Lockhart',
  'Montgomery',
  'Radcliffe',
  'Sutherland',
  'Thistlewood',
  'Underhill',
  'Wainwright',
  'Yardley',
];
export const APOSTROPHE_FAMILY = ["O'Donovan", "D'Souza", "O'Halloran", "M'Bala", "O'Keeffe", "D'Angelo"];
export const IRISH_GIVEN = ['Fionnuala', 'Cathal', 'Eimear', 'Donncha', 'Sadhbh'];
export const HYPHEN_GIVEN = ['Marie-Claire', 'Jean-Pierre', 'Anna-Lena', 'Karl-Heinz', 'Sophie-Anne'];
export const HYPHEN_FAMILY = ['Moreau-Blanc', 'Fitzroy-Hale', 'Lindgren-Ek', 'Ortega-Ruiz', 'Baxter-Lowe'];
export const INITIAL_FAMILY = ['Pemberton', 'Castellanos', 'Nakashima', 'Oyelaran', 'Szymanski', 'Holmgren'];
export const INDIAN_NAMES: Array<[string, string]> = [
  ['Lakshmi', 'Chandrasekhar'],
  ['Siddharth', 'Bhattacharya'],
  ['Nandini', 'Pillai'],
  ['Harish', 'Gopalakrishnan'],
  ['Deepika', 'Rao'],
];
export const AFRICAN_NAMES: Array<[string, string]> = [
  ['Obinna', 'Eze'],
  ['Wanjiru', 'Kamau'],
  ['Thabo', 'Nkosi'],
  ['Adaeze', 'Okonkwo'],
  ['Kofi', 'Boateng'],
];
export const KOREAN_GIVEN = ['Hyun-woo', 'Eun-ji', 'Do-yoon', 'Ha-eun', 'Jae-won'];
export const CHINESE_GIVEN = ['Yuxuan', 'Haoyu', 'Mingyue', 'Zixuan', 'Jiahui'];
export const JAPANESE_GIVEN = ['Takeshi', 'Ayaka', 'Ryota', 'Natsumi', 'Kazuki'];
export const TITLES = [
  'Senior Data Engineer',
  'Director, Strategic Accounts',
  'Chief Technology Officer',
  'Vice President, Human Resources',
  'Partner, Mergers & Acquisitions',
  'Machine Learning Engineer',
  'Senior Manager, Treasury',
  'Head of Compliance, APAC',
  'Facilities Manager',
  'Solutions Architect',
  'Manager, Field Operations',
  'Customer Success Lead',
  'Associate Director, Clinical Affairs',
  'Principal Product Designer',
  'Director of Engineering',
  'Co-Founder & CTO',
  'Consultant, Digital Transformation',
  'Communications Officer',
  'Staff Scientist, Genomics',
  'Chief Marketing Officer',
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
  'Thornbury',
  'Bellwether',
  'Kingfisher',
  'Moorland',
  'Driftwood',
  'Silvermoon',
  'Aldergate',
  'Quicksilver',
  'Rosewood',
  'Beacon Hill',
  'Highmoor',
  'Nightjar',
  'Sunhaven',
  'Daebak',
  'Hanul',
  'Sakura',
  'Fujimoto',
  'Tianyu',
  'Kampung',
  'Eikenhof',
  'Sonnenberg',
  'Aurelia',
  'Castellan',
  'Obsidian',
];
export const SECTORS = [
  'Dynamics',
  'Therapeutics',
  'Instruments',
  'Holdings',
  'Advisors',
  'Interactive',
  'Works',
  'Solutions',
  'Medical',
  'Aerospace',
  'Telecom',
  'Textiles',
];
export const STREETS = ['Sycamore', 'Hawthorn', 'Beacon', 'Mill', 'Lakeview', 'Cedar', 'Franklin', 'Prospect'];
export const US_CITIES: Array<[string, string, string]> = [
  ['Minneapolis', 'MN', '55402'],
  ['Pittsburgh', 'PA', '15222'],
  ['San Diego', 'CA', '92101'],
  ['Nashville', 'TN', '37203'],
  ['Salt Lake City', 'UT', '84111'],
];
export const UK_CITIES: Array<[string, string]> = [
  ['Nottingham', 'NG1 5FS'],
  ['Sheffield', 'S1 2HE'],
  ['Cardiff', 'CF10 1EP'],
  ['Newcastle upon Tyne', 'NE1 7RU'],
];
export const DE_STREETS = ['Königsallee', 'Kurfürstendamm', 'Schlossstraße', 'Mühlenweg'];
export const DE_CITIES: Array<[string, string]> = [
  ['80331', 'München'],
  ['50667', 'Köln'],
  ['40213', 'Düsseldorf'],
  ['90402', 'Nürnberg'],
];
export const NL_ADDR: Array<[string, string]> = [
  ['Herengracht', '1017 BS Amsterdam'],
  ['Stationsplein', '5611 AB Eindhoven'],
];
export const FR_ADDR: Array<[string, string]> = [
  ['avenue des Champs-Élysées', '75008 Paris'],
  ['rue Sainte-Catherine', '33000 Bordeaux'],
];
export const ES_ADDR: Array<[string, string]> = [
  ['Calle de Alcalá', '28014 Madrid'],
  ['Carrer de Balmes', '08007 Barcelona'],
];
export const KR_ADDR: Array<[string, string]> = [
  ['Olympic-ro, Songpa-gu', 'Seoul 05551'],
  ['Gyeongchun-ro, Namdong-gu', 'Incheon 21565'],
];
export const JP_ADDR: Array<[string, string]> = [
  ['Roppongi, Minato-ku', 'Tokyo 106-6108'],
  ['Sakae, Naka-ku', 'Nagoya 460-0008'],
];
export const CN_ADDR: Array<[string, string]> = [
  ["Nanjing West Road, Jing'an District", 'Shanghai 200041'],
  ['Wensan Road, Xihu District', 'Hangzhou 310012'],
];
export const AU_ADDR: Array<[string, string]> = [
  ['Bourke Street', 'Melbourne VIC 3000'],
  ['King William Street', 'Adelaide SA 5000'],
];
export const CA_ADDR: Array<[string, string]> = [
  ['Jasper Avenue', 'Edmonton, AB T5J 3N4'],
  ['Portage Avenue', 'Winnipeg, MB R3C 0B9'],
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
  ['Jalan Ampang', '50450 Kuala Lumpur'],
  ['Jalan Tun Razak', '50400 Kuala Lumpur'],
];
