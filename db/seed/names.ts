// Names for the demo organisation: agents (diverse first and last names; no first name is an
// ordinary English word, so a name found in a comment means the agent), teams, and the bits
// customers' comments are made of.

export const FIRST_NAMES = [
  'Priya', 'Tomasz', 'Aisha', 'Mateo', 'Sofia', 'Kwame', 'Mei', 'Oluwaseun', 'Ingrid', 'Rahul',
  'Fatima', 'Liam', 'Chloe', 'Diego', 'Amara', 'Kenji', 'Zainab', 'Lukas', 'Niamh', 'Arjun',
  'Yusuf', 'Elena', 'Marcus', 'Hana', 'Callum', 'Leila', 'Dmitri', 'Nadia', 'Jamal', 'Saoirse',
  'Wei', 'Camila', 'Theo', 'Anika', 'Emeka', 'Freya', 'Rosa', 'Ibrahim', 'Mia', 'Sanjay',
  'Chiara', 'Owen', 'Thandiwe', 'Ravi', 'Isla', 'Bogdan', 'Yara', 'Kofi', 'Lucia', 'Farah',
  'Hamish', 'Ngozi', 'Andrei', 'Maya', 'Tariq', 'Ewa', 'Nikhil', 'Lena', 'Pedro', 'Ama',
  'Jonas', 'Keisha', 'Rory', 'Siobhan', 'Vikram', 'Zofia', 'Malik', 'Ines', 'Darius', 'Noor',
  'Bethan', 'Joon', 'Adaeze', 'Matteo', 'Agnieszka', 'Samir', 'Eilidh', 'Tunde', 'Carmen', 'Hugo',
  'Aaliyah', 'Bartosz', 'Connor', 'Deepa', 'Esther', 'Femi', 'Gabriela', 'Hassan', 'Ilse', 'Jorge',
] as const;

export const LAST_NAMES = [
  'Sharma', 'Kowalski', 'Okafor', 'García', 'Rossi', 'Mensah', 'Chen', 'Adeyemi', 'Lindqvist', 'Patel',
  'Haddad', "O'Brien", 'Dubois', 'Fernández', 'Nwosu', 'Tanaka', 'Hussain', 'Becker', 'Murphy', 'Iyer',
  'Yılmaz', 'Novak', 'Ivanova', 'Khan', 'Reid', 'Kim', 'Silva', 'Müller', 'Walsh', 'Nguyen',
  'Abara', 'Costa', 'Jensen', 'Mahlangu', 'Singh', 'MacLeod', 'Popescu', 'Ansah', 'Martins', 'Evans',
  'Lewandowska', 'Kaur', 'Sato', 'Byrne', 'Ahmed', 'Moreau', 'Park', 'Hughes', 'Bianchi', 'Osei',
  'Thompson', 'Nakamura', 'Quinn', 'Eriksen', 'Mbeki', 'Santos', 'Rahman', 'Fischer', 'Doyle', 'Wong',
  'Van der Berg', 'Ali', 'Kovač', 'Oyelaran', 'Ramos', 'Kelly', 'Das', 'Petrov', 'Campbell', 'Ortiz',
] as const;

/** Frontline teams in the order they are created; the second one is the high-turnover team. */
export const FRONTLINE_TEAMS: readonly { name: string; kind: 'support' | 'success' | 'sales'; role: number }[] = [
  { name: 'Billing Support', kind: 'support', role: 0 },
  { name: 'Customer Care', kind: 'support', role: 1 },
  { name: 'Tech Support', kind: 'support', role: 2 },
  { name: 'Onboarding', kind: 'success', role: 3 },
  { name: 'Retention', kind: 'sales', role: 4 },
  { name: 'Payments Desk', kind: 'support', role: 0 },
  { name: 'Orders and Returns', kind: 'support', role: 1 },
  { name: 'Premium Support', kind: 'support', role: 2 },
  { name: 'Account Management', kind: 'success', role: 3 },
  { name: 'Renewals', kind: 'sales', role: 4 },
];

export const BACK_OFFICE_TEAMS: readonly { name: string; kind: 'product' | 'digital' | 'facilities' }[] = [
  { name: 'Product', kind: 'product' },
  { name: 'Digital', kind: 'digital' },
  { name: 'Facilities', kind: 'facilities' },
];

export const CITIES = ['Leeds', 'Manchester', 'Glasgow', 'Bristol', 'Cardiff', 'Birmingham', 'Dublin', 'Belfast', 'Brighton', 'Newcastle'] as const;

/** Customer-side names for e-mail addresses in comments (never agent first names). */
export const CUSTOMER_EMAIL_LOCALS = [
  'jane.doe', 'm.okoro', 'sam_t', 'a.nowak84', 'peter.h', 'lucyjones', 'dave.w', 'k.brennan', 'tom.fraser', 'r.achebe',
  'sarah.l', 'b.kaminski', 'office', 'accounts', 'mike_t77', 'h.stewart', 'claire.b', 'j.oconnor', 'nina.v', 'g.adams',
] as const;

export const EMAIL_DOMAINS = ['example.com', 'example.org', 'example.net', 'mail.example.co.uk'] as const;
