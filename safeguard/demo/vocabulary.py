"""Word lists for the synthetic Kingsmere borough: given names, invented family names, places.

Given names are ordinary names common in England, so screens look natural. Family names are
never taken from a list of real surnames: each is a compound of a plant or bird word and a
place-name ending ("Yarrowmere", "Teaselwick", "Kestrelholt"), so that no demo record can be
mistaken for, or accidentally describe, a real family. Street, school and block names reuse
the same invented compounds.
"""

from __future__ import annotations

GIVEN_NAMES_FEMALE = (
    "Abigail", "Aisha", "Amara", "Amber", "Amelia", "Aria", "Ava", "Chloe", "Daisy",
    "Eleanor", "Ella", "Emily", "Evie", "Fatima", "Freya", "Grace", "Hafsa", "Hannah",
    "Holly", "Isabella", "Isla", "Ivy", "Jade", "Jessica", "Katie", "Lauren", "Layla",
    "Leah", "Lily", "Maryam", "Maya", "Megan", "Mia", "Niamh", "Olivia", "Poppy",
    "Precious", "Ruby", "Sienna", "Sophia", "Sophie", "Zainab", "Zara",
)  # fmt: skip

GIVEN_NAMES_MALE = (
    "Adam", "Alfie", "Arthur", "Callum", "Charlie", "Connor", "Daniel", "David", "Dylan",
    "Ethan", "Freddie", "George", "Harry", "Ibrahim", "Isaac", "Jack", "Jacob", "Jamal",
    "Jayden", "Joseph", "Joshua", "Kai", "Kwame", "Leo", "Lewis", "Liam", "Luca", "Mason",
    "Mateo", "Muhammad", "Noah", "Oliver", "Omar", "Oscar", "Reuben", "Riley", "Ryan",
    "Samuel", "Theo", "Thomas", "Tobi", "Tyler", "Yusuf",
)  # fmt: skip

# Parents' and grandparents' generations: names common among adults born 1950-2005.
ADULT_NAMES_FEMALE = (
    "Amina", "Angela", "Charlene", "Claire", "Danielle", "Donna", "Emma", "Gemma", "Grace",
    "Hayley", "Jasmine", "Joanne", "Karen", "Kelly", "Leanne", "Lisa", "Margaret", "Michelle",
    "Nadia", "Natalie", "Nicola", "Patricia", "Rachel", "Rebecca", "Samantha", "Sarah",
    "Sharon", "Shanice", "Stacey", "Susan", "Tanya", "Yasmin",
)  # fmt: skip

ADULT_NAMES_MALE = (
    "Aaron", "Adebayo", "Andrew", "Anthony", "Ashley", "Carl", "Craig", "Darren", "Dean",
    "Gary", "Hassan", "Imran", "Jamie", "Jason", "John", "Kevin", "Lee", "Marcus", "Mark",
    "Martin", "Michael", "Nathan", "Paul", "Peter", "Ricky", "Robert", "Scott", "Shane",
    "Stephen", "Steven", "Terry", "Wayne",
)  # fmt: skip

# Another way of spelling a name: used for the deliberate near-duplicate records.
GIVEN_NAME_VARIANTS = {
    "Abigail": "Abigale", "Aisha": "Ayesha", "Amara": "Amarah", "Amelia": "Amilia",
    "Chloe": "Khloe", "Daisy": "Daisey", "Eleanor": "Elinor", "Ella": "Ela", "Evie": "Evey",
    "Fatima": "Fatimah", "Freya": "Freyja", "Hannah": "Hana", "Holly": "Hollie",
    "Isabella": "Isabela", "Isla": "Islah", "Jade": "Jayde", "Jessica": "Jessika",
    "Katie": "Katy", "Lauren": "Loren", "Layla": "Leila", "Leah": "Lea", "Lily": "Lilly",
    "Maryam": "Mariam", "Maya": "Maia", "Megan": "Meghan", "Poppy": "Poppie", "Ruby": "Rubie",
    "Sienna": "Siena", "Sophia": "Sofia", "Sophie": "Sofie", "Zara": "Zarah",
    "Alfie": "Alfy", "Callum": "Calum", "Connor": "Conor", "Freddie": "Freddy",
    "Ibrahim": "Ebrahim", "Isaac": "Isaak", "Jacob": "Jakob", "Jamal": "Jamaal",
    "Jayden": "Jaden", "Kai": "Ky", "Lewis": "Louis", "Luca": "Luka", "Mason": "Mayson",
    "Mateo": "Matteo", "Muhammad": "Mohammed", "Noah": "Noa", "Omar": "Umar", "Oscar": "Oskar",
    "Reuben": "Ruben", "Riley": "Rylee", "Theo": "Teo", "Tobi": "Toby", "Tyler": "Tyla",
    "Yusuf": "Yousef",
}  # fmt: skip

# Family names: HEAD + TAIL, for example Bramble + combe = "Bramblecombe".
FAMILY_NAME_HEADS = (
    "Bracken", "Bramble", "Burdock", "Campion", "Clover", "Cobble", "Fennel", "Juniper",
    "Kestrel", "Larch", "Linnet", "Mallow", "Marigold", "Nettle", "Plover", "Quill",
    "Sloe", "Sorrel", "Tansy", "Teasel", "Thistle", "Yarrow",
)  # fmt: skip

FAMILY_NAME_TAILS = (
    "brook", "combe", "dene", "fold", "gate", "haven", "holt", "hythe", "lade", "marsh",
    "mere", "stead", "thorpe", "wick", "worth",
)  # fmt: skip

# A misspelt ending that sounds the same (same Metaphone key), for near-duplicate records.
FAMILY_NAME_TAIL_VARIANTS = {
    "brook": "brooke", "combe": "coombe", "dene": "dean", "fold": "fould", "gate": "gait",
    "haven": "havon", "holt": "hoult", "hythe": "hyth", "lade": "laid", "marsh": "marshe",
    "mere": "meer", "stead": "sted", "thorpe": "thorp", "wick": "wik", "worth": "wurth",
}  # fmt: skip

# Compounds that turn out to be real surnames are never used.
EXCLUDED_FAMILY_NAMES = frozenset({"Nettlefold"})

STREET_TYPES = (
    "Avenue", "Close", "Crescent", "Gardens", "Grove", "Lane", "Place", "Rise", "Road",
    "Street", "Walk", "Way",
)  # fmt: skip

BLOCK_TYPES = ("Court", "House", "Heights", "Lodge")

# Letters used in the last two characters of a real UK postcode (never C, I, K, M, O or V).
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def family_name_compounds() -> list[str]:
    """Every single-word synthetic family name, in a fixed order."""
    return [
        head + tail
        for head in FAMILY_NAME_HEADS
        for tail in FAMILY_NAME_TAILS
        if head + tail not in EXCLUDED_FAMILY_NAMES
    ]


def _is_synthetic_word(word: str) -> bool:
    tails = set(FAMILY_NAME_TAILS) | set(FAMILY_NAME_TAIL_VARIANTS.values())
    for head in FAMILY_NAME_HEADS:
        if word.startswith(head) and word[len(head) :] in tails:
            return word not in EXCLUDED_FAMILY_NAMES
    return False


def is_synthetic_family_name(name: str) -> bool:
    """True when every hyphen-separated part of ``name`` is an invented compound.

    Accepts the sound-alike misspellings used for near-duplicate records.
    """
    return bool(name) and all(_is_synthetic_word(part) for part in name.split("-"))


def is_synthetic_given_name(name: str) -> bool:
    """True when every word of ``name`` comes from the demo's given-name lists or variants."""
    known = (
        set(GIVEN_NAMES_FEMALE)
        | set(GIVEN_NAMES_MALE)
        | set(ADULT_NAMES_FEMALE)
        | set(ADULT_NAMES_MALE)
        | set(GIVEN_NAME_VARIANTS.values())
    )
    return bool(name) and all(word in known for word in name.split())
