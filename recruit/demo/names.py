"""Made-up names for demonstration data, reflecting the four towns' communities."""

FIRST_NAMES = [
    "Aisha", "Ahmed", "Amina", "Bilal", "Chloe", "Daniel", "Emma", "Fatima", "Grace", "Hassan",
    "Imran", "Jack", "Jasmine", "Kwame", "Laura", "Mohammed", "Nadia", "Oliver", "Priya", "Rajesh",
    "Rebecca", "Saima", "Samuel", "Shabana", "Sophie", "Tariq", "Thomas", "Usman", "Victoria",
    "Wiktoria", "Yasmin", "Zainab", "Adebayo", "Chiamaka", "Gurpreet", "Harpreet", "Joanne",
    "Kamran", "Liam", "Mariam", "Nasreen", "Patrick", "Ruksana", "Sean", "Tahmina", "Wei",
]
LAST_NAMES = [
    "Ahmed", "Ali", "Begum", "Brown", "Chowdhury", "Clarke", "Evans", "Hussain", "Iqbal", "Jones",
    "Khan", "Kowalski", "Mahmood", "Miah", "Nowak", "Okafor", "Patel", "Rahman", "Riaz", "Roberts",
    "Shah", "Singh", "Smith", "Taylor", "Uddin", "Walsh", "Williams", "Wilson", "Wright", "Zaman",
]
JOB_ROLES = [
    "Staff nurse", "Healthcare assistant", "Porter", "Ward clerk", "Physiotherapist",
    "Medical secretary", "Domestic assistant", "Pharmacy technician", "Radiographer",
    "Catering assistant", "HR adviser", "Midwife", "Receptionist", "Phlebotomist",
]
SITES = [
    "Royal Oldham Hospital", "Fairfield General Hospital", "Rochdale Infirmary",
    "Salford Royal", "Community services",
]
PARTNER_NAMES = {
    "mosque": ["{ward} Jamia Mosque", "Masjid-e-{ward}", "{ward} Islamic Centre"],
    "church": ["St Mary's Church, {ward}", "{ward} Methodist Church", "{ward} Baptist Church"],
    "gurdwara": ["Gurdwara Sahib {ward}"],
    "temple": ["{ward} Hindu Temple"],
    "community_group": ["{ward} Community Association", "{ward} Women's Group",
                        "{ward} Youth Forum"],
    "school": ["{ward} Academy", "{ward} High School"],
    "college": ["{ward} Sixth Form College"],
    "housing_association": ["{ward} Homes", "{ward} Housing Trust"],
    "charity": ["{ward} Refugee Support", "{ward} Family Centre", "{ward} Carers Network"],
    "jobcentre": ["{ward} Jobcentre Plus"],
    "other": ["{ward} Library", "{ward} Leisure Centre"],
}
VENUES = ["main hall", "community room", "sports hall", "library", "classroom", "prayer hall"]
