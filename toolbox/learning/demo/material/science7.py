"""Science, grade 7: cells, photosynthesis and respiration, particles, forces."""

from __future__ import annotations

from toolbox.learning.demo.material import spec

OBJECTIVES = (
    spec.ObjectiveSpec(
        "SCI.7.CELLS.1", "Identify the parts of plant and animal cells and describe what each part does."
    ),
    spec.ObjectiveSpec("SCI.7.CELLS.2", "Explain how cells are organized into tissues, organs and organ systems."),
    spec.ObjectiveSpec("SCI.7.ENERGY.1", "Describe photosynthesis with its word equation, reactants and products."),
    spec.ObjectiveSpec("SCI.7.ENERGY.2", "Explain how aerobic and anaerobic respiration release energy in cells."),
    spec.ObjectiveSpec("SCI.7.MATTER.1", "Use the particle model to describe solids, liquids and gases."),
    spec.ObjectiveSpec("SCI.7.MATTER.2", "Explain changes of state and diffusion with the particle model."),
    spec.ObjectiveSpec("SCI.7.FORCES.1", "Identify contact and non-contact forces and calculate weight from mass."),
    spec.ObjectiveSpec(
        "SCI.7.FORCES.2", "Calculate a resultant force and predict motion from balanced or unbalanced forces."
    ),
)

LESSONS = (
    spec.LessonSpec("sci7-cells", "Cells: the building blocks of life", ("SCI.7.CELLS.1", "SCI.7.CELLS.2"), 25),
    spec.LessonSpec("sci7-photosynthesis", "Photosynthesis and respiration", ("SCI.7.ENERGY.1", "SCI.7.ENERGY.2"), 30),
    spec.LessonSpec(
        "sci7-matter",
        "States of matter and the particle model",
        ("SCI.7.MATTER.1", "SCI.7.MATTER.2"),
        25,
        "introductory",
    ),
    spec.LessonSpec("sci7-forces", "Forces and motion", ("SCI.7.FORCES.1", "SCI.7.FORCES.2"), 30, "challenging"),
)

CELLS_QUIZ = spec.QuizSpec(
    title="Cells check-in",
    description="Six questions on cell parts and how cells are organized.",
    lesson_slug="sci7-cells",
    questions=(
        spec.single(
            "SCI.7.CELLS.1",
            "Which part of a cell controls its activities and contains DNA?",
            ["Cell membrane", "*Nucleus", "Cytoplasm", "Vacuole"],
            "The nucleus holds the cell's DNA, the instructions for everything the cell does.",
            "Think of the cell's control center.",
            {"Cell membrane": "The membrane controls what goes in and out, not the whole cell."},
        ),
        spec.multiple(
            "SCI.7.CELLS.1",
            "Select all the parts found in plant cells but NOT in animal cells.",
            ["*Cell wall", "*Chloroplasts", "Mitochondria", "*Permanent vacuole", "Nucleus"],
            "Plant cells have three extra parts: a cellulose cell wall, chloroplasts and a permanent vacuole.",
            "There are three of them.",
        ),
        spec.true_false(
            "SCI.7.CELLS.1",
            "Root hair cells contain many chloroplasts.",
            False,
            "Roots are underground where there is no light, so their cells have no chloroplasts.",
            "What do chloroplasts need in order to work?",
        ),
        spec.short(
            "SCI.7.CELLS.1",
            "Which organelle releases energy from glucose by respiration?",
            ["mitochondria", "mitochondrion", "the mitochondria"],
            "Respiration takes place in the mitochondria of both plant and animal cells.",
            "Its name starts with 'mito'.",
            "nucleus",
        ),
        spec.numeric(
            "SCI.7.CELLS.1",
            "A cell is 0.02 mm across. A microscope image makes it look 8 mm across. "
            "What is the magnification? (Give a number.)",
            "400",
            "Magnification = image size ÷ real size = 8 ÷ 0.02 = 400.",
            "Divide the image size by the real size, both in mm.",
            "160",
        ),
        spec.ordering(
            "SCI.7.CELLS.2",
            "Put these levels of organization in order, from smallest to largest.",
            ["Cell", "Tissue", "Organ", "Organ system", "Organism"],
            "Cells form tissues, tissues form organs, organs form organ systems, and systems form the organism.",
            "Muscle tissue is part of the heart, which is part of the circulatory system.",
        ),
    ),
)

ENERGY_QUIZ = spec.QuizSpec(
    title="Photosynthesis and respiration quiz",
    description="Word equations, where the reactions happen, and what they are for.",
    lesson_slug="sci7-photosynthesis",
    questions=(
        spec.single(
            "SCI.7.ENERGY.1",
            "Which gas do plants take in for photosynthesis?",
            ["Oxygen", "Nitrogen", "*Carbon dioxide", "Hydrogen"],
            "Carbon dioxide enters the leaf through the stomata and is a reactant of photosynthesis.",
            "Look at the left-hand side of the word equation.",
        ),
        spec.multiple(
            "SCI.7.ENERGY.1",
            "Select all the products of photosynthesis.",
            ["*Glucose", "Carbon dioxide", "*Oxygen", "Water"],
            "carbon dioxide + water → glucose + oxygen.",
            "Products are on the right of the arrow.",
        ),
        spec.true_false(
            "SCI.7.ENERGY.2",
            "Respiration happens in plant cells only at night.",
            False,
            "Respiration happens in every living cell all the time; photosynthesis happens only in light.",
            "Do plant cells need energy during the day?",
        ),
        spec.short(
            "SCI.7.ENERGY.1",
            "What is the name of the green pigment that absorbs light for photosynthesis?",
            ["chlorophyll"],
            "Chlorophyll, inside chloroplasts, absorbs light energy.",
            "It starts with 'chloro'.",
            "chloroplast",
        ),
        spec.numeric(
            "SCI.7.ENERGY.2",
            "A runner's muscles make 12 units of energy from some glucose by aerobic respiration. Anaerobic "
            "respiration of the same glucose releases about one-nineteenth as much. To two decimal places, "
            "how much is that?",
            "0.63",
            "12 ÷ 19 ≈ 0.63, so under 1 unit: anaerobic respiration releases far less energy.",
            "Divide by 19.",
            "19",
            tolerance="0.05",
        ),
        spec.ordering(
            "SCI.7.ENERGY.1",
            "Put the steps of the leaf starch test in order.",
            [
                "Boil the leaf in water",
                "Soak it in hot ethanol",
                "Rinse it in water",
                "Add iodine solution",
            ],
            "Boiling kills the leaf, ethanol removes the chlorophyll, rinsing softens it, iodine shows starch.",
            "Iodine comes last, once the green color is gone.",
        ),
    ),
)

MATTER_QUIZ = spec.QuizSpec(
    title="Particles and changes of state",
    description="The particle model, changes of state and diffusion. Answers are shown after the due date.",
    lesson_slug="sci7-matter",
    answer_visibility="after_due",
    questions=(
        spec.single(
            "SCI.7.MATTER.1",
            "In which state are particles far apart and moving quickly in all directions?",
            ["Solid", "Liquid", "*Gas", "All three"],
            "Gas particles are far apart, which is also why gases can be compressed.",
            "Which state fills its whole container?",
        ),
        spec.multiple(
            "SCI.7.MATTER.1",
            "Select all the statements that are true of liquids.",
            [
                "*They take the shape of their container",
                "They can easily be compressed",
                "*Their particles move around each other",
                "Their particles are in a regular pattern",
            ],
            "Liquid particles are close together but can slide past each other.",
            "Think about pouring water.",
        ),
        spec.true_false(
            "SCI.7.MATTER.2",
            "The temperature of ice stays at 0 °C while it is melting, even though it is being heated.",
            True,
            "The energy is used to overcome forces between particles, so the temperature stays constant.",
            "Remember the flat part of the heating curve.",
        ),
        spec.short(
            "SCI.7.MATTER.2",
            "What is the name of the change of state from gas to liquid?",
            ["condensing", "condensation"],
            "Condensing is the reverse of evaporating, as when water forms on a cold window.",
            "It happens on a cold window.",
            "evaporation",
        ),
        spec.numeric(
            "SCI.7.MATTER.2",
            "50 g of ice melts completely in a sealed bag. What is the mass of the water, in grams?",
            "50",
            "Mass is conserved in a change of state: no particles are made or destroyed.",
            "Are any particles lost?",
            "45",
        ),
        spec.ordering(
            "SCI.7.MATTER.1",
            "Order the states from the strongest forces between particles to the weakest.",
            ["Solid", "Liquid", "Gas"],
            "Forces are very strong in solids, fairly strong in liquids and very weak in gases.",
            "Which state keeps its shape?",
        ),
    ),
)

FORCES_QUIZ = spec.QuizSpec(
    title="Forces timed challenge",
    description="A 15-minute timed quiz on forces. One attempt; answers are shown after the due date.",
    lesson_slug="sci7-forces",
    time_limit_minutes=15,
    max_attempts=1,
    answer_visibility="after_due",
    questions=(
        spec.single(
            "SCI.7.FORCES.1",
            "Which of these is a non-contact force?",
            ["Friction", "Air resistance", "*Magnetic force", "Tension"],
            "Magnetic force acts at a distance; the others need surfaces to touch.",
            "Which one works across a gap?",
        ),
        spec.multiple(
            "SCI.7.FORCES.1",
            "Select all the contact forces.",
            ["*Friction", "Gravity", "*Water resistance", "Electrostatic force", "*Normal contact force"],
            "Friction, drag and the normal force act only when objects touch.",
            "Gravity pulls even when you jump.",
        ),
        spec.true_false(
            "SCI.7.FORCES.2",
            "An object moving at a steady speed in a straight line has balanced forces on it.",
            True,
            "With a resultant force of zero, an object keeps doing what it was doing.",
            "Balanced forces do not mean 'not moving'.",
        ),
        spec.short(
            "SCI.7.FORCES.1",
            "What is the unit of force?",
            ["newton", "newtons", "N"],
            "Forces are measured in newtons (N) with a newton meter.",
            "Named after Isaac Newton.",
            "kilogram",
        ),
        spec.numeric(
            "SCI.7.FORCES.1",
            "An astronaut has a mass of 70 kg. What is her weight on Earth in newtons, "
            "if the gravitational field strength is 10 N/kg?",
            "700",
            "Weight = mass × gravitational field strength = 70 × 10 = 700 N.",
            "Multiply mass by 10.",
            "70",
        ),
        spec.ordering(
            "SCI.7.FORCES.2",
            "Put the stages of a skydiver's fall in order.",
            [
                "Weight is bigger than air resistance, so she speeds up",
                "Air resistance grows as she gets faster",
                "Air resistance equals weight: terminal velocity",
            ],
            "As speed increases, drag rises until the forces balance and speed stays constant.",
            "Drag depends on speed.",
        ),
    ),
)

PRACTICE = (
    spec.true_false(
        "SCI.7.CELLS.1",
        "Animal cells have a cell wall.",
        False,
        "Only plant (and fungal and bacterial) cells have a cell wall.",
        "Which cell keeps its shape without a skeleton?",
    ),
    spec.single(
        "SCI.7.CELLS.1",
        "Where do most chemical reactions in a cell happen?",
        ["Nucleus", "*Cytoplasm", "Cell wall"],
        "The cytoplasm is where most reactions take place.",
        "It is the jelly-like fluid.",
    ),
    spec.true_false(
        "SCI.7.CELLS.2",
        "A group of similar cells working together is called a tissue.",
        True,
        "Tissues are groups of similar cells; organs are made of several tissues.",
        "Muscle is an example.",
    ),
    spec.single(
        "SCI.7.CELLS.2",
        "Which of these is an organ?",
        ["Red blood cell", "Muscle tissue", "*Heart", "Circulatory system"],
        "The heart is made of several tissues working together.",
        "An organ contains several tissues.",
    ),
    spec.true_false(
        "SCI.7.ENERGY.1",
        "Photosynthesis takes place in the chloroplasts.",
        True,
        "Chloroplasts contain chlorophyll, which absorbs light.",
        "Where is the green pigment?",
    ),
    spec.short(
        "SCI.7.ENERGY.1",
        "Through which tiny pores does carbon dioxide enter a leaf?",
        ["stomata", "stoma", "stomates"],
        "Stomata are pores, mostly on the underside of leaves.",
        "Starts with 'sto'.",
        "veins",
    ),
    spec.true_false(
        "SCI.7.ENERGY.2",
        "Respiration is the same as breathing.",
        False,
        "Breathing moves air; respiration is a chemical reaction in cells.",
        "One happens in the lungs, one in every cell.",
    ),
    spec.single(
        "SCI.7.ENERGY.2",
        "What does anaerobic respiration in human muscles produce?",
        ["Ethanol", "*Lactic acid", "Oxygen"],
        "Muscles make lactic acid when they respire without oxygen.",
        "It causes muscle fatigue.",
    ),
    spec.true_false(
        "SCI.7.MATTER.1",
        "Solids can be compressed easily.",
        False,
        "Solid particles are tightly packed, with no room to squeeze.",
        "Try squashing a brick.",
    ),
    spec.single(
        "SCI.7.MATTER.1",
        "How do particles in a solid move?",
        ["*They vibrate about fixed positions", "They flow past each other", "They move freely at high speed"],
        "Strong forces hold solid particles in place, so they only vibrate.",
        "Solids keep their shape.",
    ),
    spec.true_false(
        "SCI.7.MATTER.2",
        "Diffusion happens faster in a gas than in a liquid.",
        True,
        "Gas particles move faster and have more space.",
        "Compare perfume in air with ink in water.",
    ),
    spec.short(
        "SCI.7.MATTER.2",
        "What is the change of state from solid straight to gas called?",
        ["sublimation", "sublimating", "subliming"],
        "Dry ice sublimates at room temperature.",
        "Dry ice does this.",
        "evaporation",
    ),
    spec.numeric(
        "SCI.7.FORCES.1",
        "What does a 5 kg bag weigh on Earth, in newtons? (g = 10 N/kg)",
        "50",
        "Weight = 5 × 10 = 50 N.",
        "Multiply by 10.",
        "5",
    ),
    spec.single(
        "SCI.7.FORCES.1",
        "Which instrument measures force?",
        ["Thermometer", "*Newton meter", "Ruler"],
        "A newton meter contains a spring that stretches more for bigger forces.",
        "It is named after the unit.",
    ),
    spec.numeric(
        "SCI.7.FORCES.2",
        "Forces of 12 N right and 4 N left act on a box. What is the resultant force in newtons?",
        "8",
        "Opposite forces subtract: 12 − 4 = 8 N to the right.",
        "Subtract forces in opposite directions.",
        "16",
    ),
    spec.true_false(
        "SCI.7.FORCES.2",
        "Unbalanced forces can change an object's direction.",
        True,
        "An unbalanced force can speed up, slow down or turn an object.",
        "Think of a ball hit by a bat.",
    ),
)

SUBJECT = spec.SubjectSpec(
    subject="Science",
    grade_level="7",
    objectives=OBJECTIVES,
    lessons=LESSONS,
    quizzes=(CELLS_QUIZ, ENERGY_QUIZ, MATTER_QUIZ, FORCES_QUIZ),
    practice=PRACTICE,
)
