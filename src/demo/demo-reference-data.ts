/** Fixed word lists the demo generator draws from; invented, not taken from any data set. */

export const FIRST_NAMES = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Mason', 'Sophia', 'Lucas', 'Isabella', 'Ethan',
  'Mia', 'Aiden', 'Amelia', 'James', 'Harper', 'Elijah', 'Evelyn', 'Benjamin', 'Abigail', 'Henry',
  'Emily', 'Daniel', 'Ella', 'Matthew', 'Scarlett', 'Samuel', 'Grace', 'David', 'Chloe', 'Joseph',
  'Priya', 'Arjun', 'Mei', 'Hiroshi', 'Fatima', 'Omar', 'Sofia', 'Mateo', 'Aisha', 'Yusuf',
  'Lena', 'Jonas', 'Chiara', 'Marco', 'Ingrid', 'Anders', 'Zoe', 'Leo', 'Nora', 'Ivan',
] as const;

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Brown', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Lopez', 'Wilson',
  'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White',
  'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright', 'Scott',
  'Patel', 'Kim', 'Nguyen', 'Chen', 'Singh', 'Khan', 'Ito', 'Rossi', 'Muller', 'Novak',
] as const;

export const STREETS = [
  'Main Street', 'Oak Avenue', 'Maple Drive', 'Cedar Lane', 'Pine Street', 'Elm Street', 'Lakeview Road',
  'Hillcrest Drive', 'Park Avenue', 'Sunset Boulevard', 'River Road', 'Highland Avenue', 'Willow Way',
  'Chestnut Street', 'Broadway', 'Spring Street', 'Forest Avenue', 'Washington Street', 'Church Street', 'Mill Road',
] as const;

/** City, state, zip prefix: half east, half west of the split the allocator uses. */
export const CITIES = [
  ['New York', 'NY', '100'], ['Brooklyn', 'NY', '112'], ['Boston', 'MA', '021'], ['Philadelphia', 'PA', '191'],
  ['Pittsburgh', 'PA', '152'], ['Baltimore', 'MD', '212'], ['Washington', 'DC', '200'], ['Atlanta', 'GA', '303'],
  ['Miami', 'FL', '331'], ['Orlando', 'FL', '328'], ['Charlotte', 'NC', '282'], ['Raleigh', 'NC', '276'],
  ['Chicago', 'IL', '606'], ['Detroit', 'MI', '482'], ['Columbus', 'OH', '432'], ['Nashville', 'TN', '372'],
  ['Minneapolis', 'MN', '554'], ['Newark', 'NJ', '071'], ['Hartford', 'CT', '061'], ['Richmond', 'VA', '232'],
  ['Los Angeles', 'CA', '900'], ['San Francisco', 'CA', '941'], ['San Diego', 'CA', '921'], ['San Jose', 'CA', '951'],
  ['Seattle', 'WA', '981'], ['Spokane', 'WA', '992'], ['Portland', 'OR', '972'], ['Denver', 'CO', '802'],
  ['Phoenix', 'AZ', '850'], ['Tucson', 'AZ', '857'], ['Las Vegas', 'NV', '891'], ['Salt Lake City', 'UT', '841'],
  ['Austin', 'TX', '787'], ['Houston', 'TX', '770'], ['Dallas', 'TX', '752'], ['Albuquerque', 'NM', '871'],
  ['Boise', 'ID', '837'], ['Omaha', 'NE', '681'], ['Oklahoma City', 'OK', '731'], ['Anchorage', 'AK', '995'],
] as const;

// Real places with real coordinates, so nearest-location routing and promised dates mean something.
export const DEMO_LOCATIONS = [
  {
    id: 'loc-nj-warehouse', name: 'Newark NJ warehouse', kind: 'warehouse', region: 'us-east', stock: [60, 180],
    address1: '100 Delancy St', city: 'Newark', state: 'NJ', zip: '07105', latitude: 40.7214, longitude: -74.1453,
    services: ['economy', 'standard', 'expedited', 'overnight'], hazmat: true, maxWeightGrams: null,
    cutoffTime: '15:00', timeZone: 'America/New_York', handlingDays: 1, priority: 10,
  },
  {
    id: 'loc-ny-store', name: 'Brooklyn NY store', kind: 'store', region: 'us-east', stock: [4, 20],
    address1: '200 Court St', city: 'Brooklyn', state: 'NY', zip: '11201', latitude: 40.6895, longitude: -73.9925,
    services: ['standard', 'expedited'], hazmat: false, maxWeightGrams: 10_000,
    cutoffTime: '12:00', timeZone: 'America/New_York', handlingDays: 1, priority: 30,
  },
  {
    id: 'loc-ca-warehouse', name: 'Ontario CA warehouse', kind: 'warehouse', region: 'us-west', stock: [60, 180],
    address1: '4200 E Airport Dr', city: 'Ontario', state: 'CA', zip: '91761', latitude: 34.0336, longitude: -117.6009,
    services: ['economy', 'standard', 'expedited', 'overnight'], hazmat: true, maxWeightGrams: null,
    cutoffTime: '15:00', timeZone: 'America/Los_Angeles', handlingDays: 1, priority: 20,
  },
  {
    id: 'loc-nv-3pl', name: 'Reno NV 3PL', kind: '3pl', region: 'us-west', stock: [20, 80],
    address1: '1 Logistics Way', city: 'Reno', state: 'NV', zip: '89502', latitude: 39.4963, longitude: -119.7762,
    services: ['economy', 'standard', 'expedited'], hazmat: false, maxWeightGrams: 30_000,
    cutoffTime: '13:00', timeZone: 'America/Los_Angeles', handlingDays: 2, priority: 40,
  },
] as const;

export type ProductCategory = 'apparel' | 'home' | 'outdoor';

export interface ProductType {
  type: string;
  code: string;
  category: ProductCategory;
  /** Base price in cents and grams. */
  price: number;
  weight: number;
  /** Packed length, width and height in millimetres of the base variant. */
  dims: readonly [number, number, number];
  lines: readonly [string, string, string];
  options: Record<string, readonly string[]>;
}

const SIZES = ['XS', 'S', 'M', 'L', 'XL'] as const;
const COLORS = ['black', 'white', 'navy', 'olive', 'red', 'grey'] as const;

/** 20 product types, three product lines each: 60 products. */
export const PRODUCT_TYPES: readonly ProductType[] = [
  { type: 'T-Shirt', code: 'TEE', category: 'apparel', price: 2400, weight: 180, dims: [300, 250, 30], lines: ['Classic', 'Organic', 'Heavyweight'], options: { size: SIZES, color: COLORS } },
  { type: 'Hoodie', code: 'HOOD', category: 'apparel', price: 6500, weight: 650, dims: [350, 300, 80], lines: ['Everyday', 'Fleece', 'Zip'], options: { size: SIZES, color: COLORS } },
  { type: 'Jeans', code: 'JEAN', category: 'apparel', price: 8800, weight: 700, dims: [380, 300, 60], lines: ['Slim', 'Straight', 'Relaxed'], options: { waist: ['28', '30', '32', '34', '36'], wash: ['light', 'mid', 'dark'] } },
  { type: 'Running Shoes', code: 'SHOE', category: 'apparel', price: 12000, weight: 900, dims: [330, 210, 120], lines: ['Trail', 'Road', 'Racer'], options: { size: ['7', '8', '9', '10', '11', '12'], color: ['black', 'white', 'blue'] } },
  { type: 'Rain Jacket', code: 'RAIN', category: 'apparel', price: 14900, weight: 500, dims: [350, 280, 60], lines: ['Packable', 'Storm', 'City'], options: { size: SIZES, color: ['yellow', 'black', 'green'] } },
  { type: 'Socks', code: 'SOCK', category: 'apparel', price: 1400, weight: 80, dims: [200, 100, 30], lines: ['Merino', 'Cotton', 'Hiking'], options: { size: ['S', 'M', 'L'], pack: ['3-pack', '6-pack'] } },
  { type: 'Beanie', code: 'BEAN', category: 'apparel', price: 2800, weight: 100, dims: [220, 180, 40], lines: ['Ribbed', 'Cuffed', 'Fisherman'], options: { color: COLORS } },
  { type: 'Coffee Mug', code: 'MUG', category: 'home', price: 1800, weight: 400, dims: [120, 120, 110], lines: ['Stoneware', 'Enamel', 'Travel'], options: { capacity: ['300ml', '450ml'], color: ['white', 'black', 'sage', 'terracotta'] } },
  { type: 'Desk Lamp', code: 'LAMP', category: 'home', price: 7900, weight: 1500, dims: [450, 200, 200], lines: ['Arc', 'Task', 'Studio'], options: { finish: ['brass', 'black', 'white'], bulb: ['LED', 'halogen'] } },
  { type: 'Throw Blanket', code: 'THRW', category: 'home', price: 6900, weight: 1200, dims: [400, 320, 120], lines: ['Wool', 'Cotton', 'Sherpa'], options: { color: ['cream', 'charcoal', 'rust', 'teal'], size: ['throw', 'oversized'] } },
  { type: 'Ceramic Vase', code: 'VASE', category: 'home', price: 4500, weight: 1100, dims: [300, 160, 160], lines: ['Tall', 'Bud', 'Round'], options: { glaze: ['matte', 'gloss'], color: ['white', 'blue', 'sand'] } },
  { type: 'Cutting Board', code: 'BORD', category: 'home', price: 3900, weight: 1300, dims: [450, 300, 30], lines: ['Maple', 'Walnut', 'Bamboo'], options: { size: ['small', 'medium', 'large'], edge: ['straight', 'juice groove'] } },
  { type: 'Scented Candle', code: 'CNDL', category: 'home', price: 3200, weight: 450, dims: [100, 100, 110], lines: ['Forest', 'Citrus', 'Amber'], options: { size: ['8oz', '14oz'], vessel: ['glass', 'tin', 'ceramic'] } },
  { type: 'Water Bottle', code: 'BTL', category: 'outdoor', price: 3400, weight: 350, dims: [270, 90, 90], lines: ['Insulated', 'Trail', 'Glass'], options: { capacity: ['500ml', '750ml', '1000ml'], color: ['black', 'blue', 'green', 'red'] } },
  { type: 'Backpack', code: 'PACK', category: 'outdoor', price: 11900, weight: 1200, dims: [500, 320, 180], lines: ['Daypack', 'Commuter', 'Summit'], options: { volume: ['18L', '24L', '32L'], color: ['black', 'grey', 'orange'] } },
  { type: 'Tent', code: 'TENT', category: 'outdoor', price: 32900, weight: 2600, dims: [550, 200, 200], lines: ['Ultralight', 'Family', 'Basecamp'], options: { capacity: ['1-person', '2-person', '4-person'], color: ['green', 'orange'] } },
  { type: 'Sleeping Bag', code: 'SLPB', category: 'outdoor', price: 18900, weight: 1400, dims: [450, 250, 250], lines: ['Down', 'Synthetic', 'Summer'], options: { rating: ['-5C', '0C', '10C'], length: ['regular', 'long'] } },
  { type: 'Camping Stove', code: 'STOV', category: 'outdoor', price: 8900, weight: 800, dims: [200, 150, 120], lines: ['Compact', 'Twin', 'Canister'], options: { fuel: ['butane', 'propane'], burners: ['1', '2', '3'] } },
  { type: 'Hiking Poles', code: 'POLE', category: 'outdoor', price: 9900, weight: 500, dims: [700, 90, 90], lines: ['Carbon', 'Aluminium', 'Folding'], options: { length: ['110cm', '120cm', '130cm'], grip: ['cork', 'foam'] } },
  { type: 'Headlamp', code: 'HDLP', category: 'outdoor', price: 4500, weight: 90, dims: [130, 90, 60], lines: ['Trail', 'Camp', 'Run'], options: { lumens: ['200', '400', '800'], color: ['black', 'orange'] } },
];

export const CARRIERS = [
  ['UPS', ['Ground', '2nd Day Air']],
  ['FedEx', ['Ground', 'Express Saver']],
  ['USPS', ['Priority Mail', 'Ground Advantage']],
] as const;

export const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Mobile Safari/537.36',
  'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
] as const;
