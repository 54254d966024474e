/**
 * The held-out set's own word pools: people, companies, titles and streets that appear in no pool of the
 * development set (`people.ts` draws the development set from the even entries of its lists; the held-out set
 * draws from these, and from the odd entries of the lists that have no counterpart here).
 */

export const ENGLISH_GIVEN = [
  'Harriet',
  'Julian',
  'Eleanor',
  'Rupert',
  'Imogen',
  'Dominic',
  'Phoebe',
  'Barnaby',
  'Rosalind',
  'Crispin',
  'Philippa',
  'Tobias',
  'Henrietta',
  'Malcolm',
  'Beatrix',
  'Lucian',
];
export const ENGLISH_FAMILY = [
  'Ashworth',
  'Blackwood',
  'Cartwright',
  'Dunmore',
  'Everly',
  'Fairweather',
  'Greenhalgh',
  'Hawthorne',
  'Ingram',
  'Jessop',
  'Kettering',
  'Lowther',
  'Mortimer',
  'Netherton',
  'Pemberton',
  'Radcliffe',
];
export const APOSTROPHE_FAMILY = [
  "O'Dwyer",
  "O'Leary",
  "D'Costa",
  "O'Reilly",
  "O'Grady",
  "D'Alessandro",
  "O'Callaghan",
];
export const IRISH_GIVEN = ['Siobhan', 'Oisin', 'Grainne', 'Fionn', 'Clodagh', 'Donal', 'Sinead', 'Ruairi'];
export const HYPHEN_GIVEN = ['Marie-Louise', 'Jean-Baptiste', 'Anna-Lena', 'Paul-Henri', 'Rose-Marie', 'Klaus-Dieter'];
export const HYPHEN_FAMILY = [
  'Bowes-Lyon',
  'Martin-Duval',
  'Perez-Reverte',
  'Clarke-Benson',
  'Roussel-Gautier',
  'Vaughan-Thomas',
];
export const INITIAL_FAMILY = ['Abernathy', 'Bergstrom', 'Chukwu', 'Devereux', 'Eriksen', 'Ferreira', 'Gallagher'];
export const INDIAN_NAMES: Array<[string, string]> = [
  ['Divya', 'Chandrasekhar'],
  ['Siddharth', 'Malhotra'],
  ['Lakshmi', 'Ramaswamy'],
  ['Nikhil', 'Joshi'],
  ['Pooja', 'Agarwal'],
  ['Varun', 'Pillai'],
];
export const AFRICAN_NAMES: Array<[string, string]> = [
  ['Ngozi', 'Obi'],
  ['Kwabena', 'Owusu'],
  ['Lindiwe', 'Ndlovu'],
  ['Babajide', 'Adebayo'],
  ['Akosua', 'Boateng'],
  ['Sipho', 'Zulu'],
];
export const KOREAN_GIVEN = ['Seung-hoon', 'Ji-woo', 'Min-seo', 'Dong-hyuk', 'Soo-ah', 'Young-ho', 'Chae-won'];
export const CHINESE_GIVEN = ['Zhiwei', 'Lingling', 'Xiaoyu', 'Guoqiang', 'Shuang', 'Tianyi', 'Wenjie'];
export const JAPANESE_GIVEN = ['Masato', 'Chihiro', 'Yusuke', 'Misaki', 'Tatsuya', 'Nanami', 'Kazuki'];

export const TITLES = [
  'Senior Product Manager',
  'Director, Strategic Alliances',
  'Head of Data Engineering',
  'Vice President, Business Development',
  'Chief Technology Officer',
  'Associate Director, Clinical Operations',
  'Principal Consultant',
  'Manager, Treasury Operations',
  'Senior Counsel, Intellectual Property',
  'Lead Software Developer',
  'Customer Success Manager',
  'Solutions Architect',
  'Director of Engineering',
  'Senior Financial Analyst',
  'Head of Communications, APAC',
  'Operations Coordinator',
  'Co-Founder & CTO',
  'Sales Director, North America',
  'Platform Engineer',
  'HR Business Partner',
  'Senior Accountant',
  'Chief Marketing Officer',
  'Program Manager, Sustainability',
  'Machine Learning Engineer',
  'Regional Director, Europe',
  'Investment Analyst',
  'Partner, Audit & Assurance',
  'Category Manager',
];
export const COMPANY_STEMS = [
  'Ravenscourt',
  'Thistle',
  'Amberley',
  'Blue Heron',
  'Corvid',
  'Driftwood',
  'Evergreen',
  'Foxglove',
  'Greystone',
  'Highmoor',
  'Kingfisher',
  'Larchmont',
  'Moonstone',
  'Nightjar',
  'Orchid',
  'Palisade',
  'Quillon',
  'Rosewood',
  'Summit',
  'Talisman',
  'Hanul',
  'Bada',
  'Sakura',
  'Fuji',
  'Taishan',
  'Lotus',
  'Singa',
  'Zeeland',
  'Brandenburg',
  'Solaria',
];
export const SECTORS = [
  'Engineering',
  'Advisory',
  'Technologies',
  'Holdings',
  'Pharma',
  'Consultants',
  'Interactive',
  'Dynamics',
  'Semiconductors',
  'Trading',
  'Clinics',
  'Instruments',
];

export const STREETS = ['Chestnut', 'Spruce', 'Magnolia', 'Riverside', 'Highland', 'Franklin', 'Lincoln', 'Sycamore'];
export const US_CITIES: Array<[string, string, string]> = [
  ['Minneapolis', 'MN', '55402'],
  ['Phoenix', 'AZ', '85004'],
  ['Nashville', 'TN', '37203'],
  ['San Diego', 'CA', '92101'],
  ['Pittsburgh', 'PA', '15222'],
];
export const UK_CITIES: Array<[string, string]> = [
  ['Liverpool', 'L2 2QP'],
  ['Oxford', 'OX1 2JD'],
  ['Cardiff', 'CF10 1EP'],
  ['Newcastle upon Tyne', 'NE1 7RU'],
];
export const DE_STREETS = ['Goethestraße', 'Bahnhofstraße', 'Rosenweg', 'Am Markt', 'Königsallee'];
export const DE_CITIES: Array<[string, string]> = [
  ['80331', 'München'],
  ['50667', 'Köln'],
  ['40213', 'Düsseldorf'],
  ['90402', 'Nürnberg'],
];
export const NL_ADDR: Array<[string, string]> = [
  ['Herengracht', '1017 BT Amsterdam'],
  ['Stationsplein', '5611 AB Eindhoven'],
];
export const FR_ADDR: Array<[string, string]> = [
  ['avenue des Champs-Élysées', '75008 Paris'],
  ['quai des Chartrons', '33000 Bordeaux'],
];
export const ES_ADDR: Array<[string, string]> = [
  ['Calle de Alcalá', '28014 Madrid'],
  ['Avenida de la Constitución', '41001 Sevilla'],
];
export const KR_ADDR: Array<[string, string]> = [
  ['Yeouidaero, Yeongdeungpo-gu', 'Seoul 07320'],
  ['Jongno, Jongno-gu', 'Seoul 03188'],
];
export const JP_ADDR: Array<[string, string]> = [
  ['Nishi-Shinjuku, Shinjuku-ku', 'Tokyo 163-0401'],
  ['Sakae, Naka-ku', 'Nagoya 460-0008'],
];
export const CN_ADDR: Array<[string, string]> = [
  ['Nanjing West Road, Jingan District', 'Shanghai 200041'],
  ['Zhongguancun Street, Haidian District', 'Beijing 100080'],
];
export const AU_ADDR: Array<[string, string]> = [
  ['George Street', 'Sydney NSW 2000'],
  ['King William Street', 'Adelaide SA 5000'],
];
export const CA_ADDR: Array<[string, string]> = [
  ['Front Street West', 'Toronto, ON M5V 3A8'],
  ['Jasper Avenue', 'Edmonton, AB T5J 3N4'],
];
export const IN_ADDR: Array<[string, string]> = [
  ['Nariman Point', 'Mumbai 400021'],
  ['Hitech City', 'Hyderabad 500081'],
];
export const IE_ADDR: Array<[string, string]> = [
  ["St Stephen's Green", 'Dublin 2, D02 XK85'],
  ['Henry Street', 'Limerick V94 E4KT'],
];
export const SG_ADDR = ['Robinson Road', 'Shenton Way'];
export const MY_ADDR: Array<[string, string]> = [
  ['Jalan Ampang', '50450 Kuala Lumpur'],
  ['Jalan Tun Razak', '50400 Kuala Lumpur'],
];
