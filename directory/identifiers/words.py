"""Word lists the recognisers use: months, weekdays, capitalised words that are not names,
institutions, common first names, street and unit words (en/es/fr)."""

from __future__ import annotations

from directory.identifiers.normalise import _trie

# ---------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------

MONTH_NAMES = (
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec "
    "enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre "
    "noviembre diciembre ene "
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre "
    "novembre décembre decembre janv févr fevr avr juil déc"
).split()
MONTHS = _trie(set(MONTH_NAMES)) + r"\.?"
WEEKDAYS = (
    "monday tuesday wednesday thursday friday saturday sunday lunes martes miércoles "
    "miercoles jueves viernes sábado sabado domingo lundi mardi mercredi jeudi vendredi "
    "samedi dimanche"
).split()
# capitalised words that follow a cue word without being a name
STOP_WORDS = (
    set(
        """
    the a an this that these those he she they we i it you his her hers their our my me us
    them him was were is are be been being has had have said says say told asked did does do
    will would could should can may might must shall and but or nor not no yes so who whom
    whose which what when where why how if then than also after before during today tonight
    yesterday tomorrow here there in on at for from with without to of by as into onto about
    again all any each every some none both either neither more most much many very just
    only still already never always often sometimes now soon later first last next other
    another same such own one two three staff team nurse doctor interpreter advocate
    shelter clinic hospital office center centre network program programme coordinator case
    manager feedback referral consent note notes form forms care portal survey room bus
    intake services service unknown withheld redacted anonymous anon n/a na none given
    declined private confidential number phone email address date age info information
    called named name names client clients patient patients family mother father son
    daughter husband wife brother sister child children kids kid baby friend friends
    partner boyfriend girlfriend
    el la los las un una unos unas ella él ellos ellas su sus es era fue está estaba
    estaban dijo dice que y pero sí con sin en de del al por para hoy ayer mañana muy
    también ya nunca siempre aquí allí lo le les se mi tu nuestra nuestro otra otro
    cliente clientes paciente pacientes madre padre hijo hija esposo esposa hermano hermana
    nombre desconocido desconocida anónimo anónima reservado
    le les une il ils elles son sa ses est était a avait dit qui et mais ne pas oui non
    avec sans du des au aux pour par aujourd'hui hier demain très aussi déjà jamais
    toujours ici là leur leurs nous vous elle je on cette ce ces mère père fils fille
    mari femme frère sœur soeur nom inconnu inconnue anonyme patiente
    """.split()
    )
    | set(MONTH_NAMES)
    | set(WEEKDAYS)
    | set(
        # languages and nationalities ("client Spanish-speaking"), and titles themselves
        """
    english spanish french portuguese arabic tigrinya amharic somali swahili haitian creole
    kreyol mandarin cantonese chinese vietnamese korean japanese tagalog filipino russian
    ukrainian romanian polish hindi urdu bengali nepali punjabi farsi dari pashto turkish
    kurdish quechua mam k'iche' mixteco zapoteco nahuatl indigenous american mexican
    guatemalan honduran salvadoran eritrean ethiopian nigerian ghanaian español española
    inglés francés francesa anglais espagnol espagnole arabe
    mr mrs ms miss dr sr sra srta mme mlle señor señora señorita monsieur madame
    mademoiselle don doña
    """.split()
    )
)
# words that make a capitalised phrase a place or organisation, not a person
INSTITUTION_WORDS = set(
    """
    network clinic clinics center centre centers shelter shelters house hospital hospitals
    foundation school schools library park parks street st avenue ave road church services
    service program programme project coalition alliance office offices department dept
    university college institute association society society's fund trust hotline line
    health medical legal aid community county city state federal mission ministries
    ministry home homes hall court station pharmacy bank market store mall café cafe
    restaurant bakery hotel motel inn airport terminal
    clínica clinica centro casa hospital fundación fundacion escuela iglesia red programa
    asociación asociacion oficina albergue refugio servicios calle avenida parque
    clinique centre maison hôpital hopital fondation école ecole église eglise réseau
    reseau programme association bureau foyer services rue avenue parc
    """.split()
)
# common first names (en/es/fr, and frequent among clients of these networks); a listed
# first name followed by a capitalised word is taken for a full name without any cue
FIRST_NAMES = set(
    """
    maria maría ana rosa carmen josefa isabel laura lucia lucía sofia sofía elena marta
    paula sara andrea daniela gabriela valeria camila juana guadalupe lupe veronica
    verónica patricia alejandra fernanda mariana claudia adriana beatriz teresa julia
    silvia monica mónica yesenia esperanza dolores pilar rocio rocío luz flor marisol
    jose josé juan luis carlos jorge miguel pedro manuel antonio francisco javier
    alejandro ricardo roberto fernando eduardo sergio rafael raul raúl diego pablo andres
    andrés mateo santiago hector héctor jesus jesús oscar óscar alberto arturo enrique
    marie jeanne sophie camille chloé chloe léa lea manon julie céline celine isabelle
    nathalie sandrine amélie amelie aurélie aurelie fatou aminata awa mariam fatima fatma
    aïcha aicha khadija amina nadia leila samira yasmine
    jean pierre michel philippe nicolas françois francois thomas julien mathieu antoine
    mamadou moussa ibrahim mohamed mohammed ahmed ali omar youssef hassan karim abdoulaye
    mary patricia jennifer linda elizabeth barbara susan jessica sarah karen nancy lisa
    betty margaret sandra ashley kimberly emily donna michelle dorothy carol amanda
    melissa deborah stephanie rebecca sharon cynthia kathleen amy angela shirley anna
    brenda pamela emma nicole helen samantha katherine christine debra rachel catherine
    carolyn janet maria heather diane ruth julie olivia joyce virginia victoria kelly
    lauren christina joan evelyn judith megan cheryl andrea hannah martha jacqueline
    frances gloria ann teresa kathryn sara janice jean alice madison doris abigail julia
    judy grace denise amber marilyn beverly danielle theresa sophia marie diana brittany
    natalie isabella charlotte rose alexis kayla tiffany jasmine destiny
    james john robert michael william david richard joseph thomas charles christopher
    daniel matthew anthony mark donald steven paul andrew joshua kenneth kevin brian
    george timothy ronald edward jason jeffrey ryan jacob gary nicholas eric jonathan
    stephen larry justin scott brandon benjamin samuel gregory alexander frank patrick
    raymond jack dennis jerry tyler aaron henry adam douglas nathan peter zachary kyle
    walter harold jeremy ethan carl keith roger gerald christian terry sean arthur
    austin noah lawrence jesse joe bryan billy jordan albert dylan bruce willie gabriel
    alan juan logan wayne ralph roy eugene randy vincent russell louis philip bobby
    johnny bradley
    tesfay tesfaye abeba almaz selam mulu hiwot genet tigist meron yonas dawit bereket
    natasha olga irina svetlana tatiana oksana elena anastasia yulia ekaterina
    nguyen thi mai lan linh hoa huong
    """.split()
)

_STREET_EN = (
    "street|st|avenue|ave|av|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|"
    "terrace|ter|parkway|pkwy|highway|hwy|circle|cir|square|sq|crescent|cres|alley|row|"
    "trail|trl|plaza|loop|pike|expressway|close|gardens|grove|mews"
)
_STREET_ES = (
    "calle|c/|avenida|avda|av|paseo|plaza|pza|carrera|cra|calzada|calz|colonia|col|camino|"
    "callejón|callejon|carretera|ctra|ronda|glorieta|travesía|travesia|bulevar|privada|"
    "andador|cerrada|pasaje"
)
_STREET_FR = (
    "rue|avenue|av|boulevard|bd|bvd|chemin|ch|allée|allee|impasse|place|quai|route|"
    "cours|passage|square|villa|cité|cite|faubourg|fbg|rte|voie|sentier|montée|montee"
)
STREET_WORDS = f"(?:{_STREET_EN}|{_STREET_ES}|{_STREET_FR})"
UNIT_WORDS = (
    r"(?:apt|apts|apartment|appt|appart|appartement|unit|suite|ste|flat|fl|room(?=\s*#)|"
    r"depto|dpto|departamento|dept(?=\s*\d)|interior|int|bâtiment|batiment|bât|bat|"
    r"escalier|esc|puerta|pta|piso(?=\s*\d+\s*º)|porte|lot|manzana|mz|lote)"
)
NAME_WORD = r"[A-ZÀ-ÖØ-Þ](?:[a-zà-öø-ÿA-ZÀ-ÖØ-Þ'\-]*[a-zà-öø-ÿA-ZÀ-ÖØ-Þ])?\.?"
LOWER_WORD = r"[a-zà-öø-ÿ][a-zà-öø-ÿ'\-]+"
