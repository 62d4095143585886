"""Mathematics, grade 7: fractions, ratio and proportion, linear equations, area and circles."""

from __future__ import annotations

from toolbox.learning.demo.material import spec

OBJECTIVES = (
    spec.ObjectiveSpec("MATH.7.FRAC.1", "Add and subtract fractions and mixed numbers with unlike denominators."),
    spec.ObjectiveSpec("MATH.7.FRAC.2", "Multiply and divide fractions, using reciprocals for division."),
    spec.ObjectiveSpec("MATH.7.RATIO.1", "Simplify ratios and divide a quantity in a given ratio."),
    spec.ObjectiveSpec("MATH.7.RATIO.2", "Find unit rates and solve proportion problems."),
    spec.ObjectiveSpec("MATH.7.EQN.1", "Solve one- and two-step linear equations, including unknowns on both sides."),
    spec.ObjectiveSpec("MATH.7.EQN.2", "Write and solve linear equations from word problems."),
    spec.ObjectiveSpec("MATH.7.GEOM.1", "Calculate the area of triangles, parallelograms and trapezoids."),
    spec.ObjectiveSpec("MATH.7.GEOM.2", "Calculate the circumference and area of circles."),
)

LESSONS = (
    spec.LessonSpec("math7-fractions", "Fractions: the four operations", ("MATH.7.FRAC.1", "MATH.7.FRAC.2"), 35),
    spec.LessonSpec("math7-ratio", "Ratio, rates and proportion", ("MATH.7.RATIO.1", "MATH.7.RATIO.2"), 30),
    spec.LessonSpec("math7-equations", "Solving linear equations", ("MATH.7.EQN.1", "MATH.7.EQN.2"), 35, "challenging"),
    spec.LessonSpec("math7-circles", "Area of shapes and circles", ("MATH.7.GEOM.1", "MATH.7.GEOM.2"), 30),
)

FRACTIONS_QUIZ = spec.QuizSpec(
    title="Fractions quiz",
    description="Adding, subtracting, multiplying and dividing fractions.",
    lesson_slug="math7-fractions",
    questions=(
        spec.single(
            "MATH.7.FRAC.1",
            "What is 2/3 + 1/4?",
            ["3/7", "*11/12", "3/12", "9/12"],
            "Over 12: 8/12 + 3/12 = 11/12.",
            "Find the least common multiple of 3 and 4.",
            {"3/7": "You added the numerators and the denominators. Use a common denominator instead."},
        ),
        spec.multiple(
            "MATH.7.FRAC.1",
            "Select all the fractions equivalent to 3/4.",
            ["*6/8", "*9/12", "4/5", "*75/100", "3/8"],
            "Multiplying top and bottom by the same number keeps the value: 6/8, 9/12 and 75/100.",
            "Multiply the numerator and the denominator by the same number.",
        ),
        spec.true_false(
            "MATH.7.FRAC.2",
            "Dividing by 1/2 gives the same result as multiplying by 2.",
            True,
            "The reciprocal of 1/2 is 2, so ÷ 1/2 is the same as × 2.",
            "Keep, change, flip.",
        ),
        spec.short(
            "MATH.7.FRAC.2",
            "Work out 4/9 × 3/8. Give your answer as a fraction in its simplest form.",
            ["1/6"],
            "Cancel first: 4/9 × 3/8 = 1/3 × 1/2 = 1/6.",
            "Cross-cancel 4 with 8 and 3 with 9.",
            "12/72",
        ),
        spec.numeric(
            "MATH.7.FRAC.2",
            "How many eighths are there in three quarters? (Work out 3/4 ÷ 1/8.)",
            "6",
            "3/4 × 8/1 = 24/4 = 6.",
            "Multiply by the reciprocal of 1/8.",
            "0.09375",
        ),
        spec.ordering(
            "MATH.7.FRAC.1",
            "Order these fractions from smallest to largest.",
            ["1/3", "2/5", "1/2", "5/8", "3/4"],
            "As decimals: 0.33, 0.4, 0.5, 0.625, 0.75.",
            "Change each fraction to a decimal.",
        ),
    ),
)

RATIO_QUIZ = spec.QuizSpec(
    title="Ratio and proportion quiz",
    description="Simplifying and sharing in a ratio, unit rates and scale.",
    lesson_slug="math7-ratio",
    questions=(
        spec.single(
            "MATH.7.RATIO.1",
            "Simplify 24 : 36.",
            ["4 : 6", "*2 : 3", "12 : 18", "3 : 2"],
            "The greatest common factor is 12: 24 : 36 = 2 : 3.",
            "Divide both parts by their greatest common factor.",
        ),
        spec.multiple(
            "MATH.7.RATIO.1",
            "Select all the ratios equivalent to 3 : 5.",
            ["*6 : 10", "5 : 3", "*15 : 25", "4 : 6", "*30 : 50"],
            "Multiply both parts by the same number: 6 : 10, 15 : 25 and 30 : 50.",
            "Order matters in a ratio.",
        ),
        spec.true_false(
            "MATH.7.RATIO.2",
            "A 12-pack of juice for $9.00 is a better buy than a 6-pack for $4.80.",
            True,
            "$0.75 per bottle beats $0.80 per bottle.",
            "Find the price of one bottle in each pack.",
        ),
        spec.short(
            "MATH.7.RATIO.1",
            "Simplify the ratio 50 cm : 2 m.",
            ["1:4", "1 : 4"],
            "2 m = 200 cm, and 50 : 200 = 1 : 4.",
            "Convert to the same unit first.",
            "25:1",
        ),
        spec.numeric(
            "MATH.7.RATIO.1",
            "Share $60 between Ana and Ben in the ratio 3 : 2. How many dollars does Ana get?",
            "36",
            "5 parts, so one part is $12; Ana gets 3 × $12 = $36.",
            "Add the parts first.",
            "20",
        ),
        spec.ordering(
            "MATH.7.RATIO.2",
            "Put the steps of the unitary method in order for: 3 notebooks cost $4.50; what do 8 cost?",
            ["Divide $4.50 by 3", "One notebook costs $1.50", "Multiply $1.50 by 8", "Eight notebooks cost $12.00"],
            "Find the value of one, then multiply.",
            "Start by finding the price of one notebook.",
        ),
    ),
)

EQUATIONS_QUIZ = spec.QuizSpec(
    title="Equations timed quiz",
    description="A 20-minute timed quiz on solving and writing linear equations.",
    lesson_slug="math7-equations",
    time_limit_minutes=20,
    max_attempts=2,
    questions=(
        spec.single(
            "MATH.7.EQN.1",
            "Solve 4x − 7 = 29.",
            ["x = 5.5", "*x = 9", "x = 36", "x = 22"],
            "Add 7 to get 4x = 36, then divide by 4: x = 9.",
            "Undo the subtraction first.",
        ),
        spec.multiple(
            "MATH.7.EQN.1",
            "Select all the equations whose solution is x = 4.",
            ["*3x + 2 = 14", "*2(x − 1) = 6", "x/2 = 8", "*7x + 2 = 3x + 18", "5x = 9"],
            "Substitute 4: 14 = 14, 6 = 6 and 30 = 30 are true.",
            "Substitute x = 4 into each one.",
        ),
        spec.true_false(
            "MATH.7.EQN.1",
            "To solve 5x = 35 you subtract 5 from both sides.",
            False,
            "The inverse of multiplying by 5 is dividing by 5: x = 7.",
            "What is the inverse of multiplication?",
        ),
        spec.short(
            "MATH.7.EQN.2",
            "Maya doubles a number and adds 11 to get 35. Write the equation using n for the number.",
            ["2n+11=35", "2n + 11 = 35", "11+2n=35", "11 + 2n = 35"],
            "Doubling gives 2n; adding 11 gives 2n + 11, which equals 35.",
            "'Doubles' means multiply by 2.",
            "n+2+11=35",
        ),
        spec.numeric(
            "MATH.7.EQN.2",
            "A taxi charges $3 plus $2 per mile. A ride cost $19. How many miles long was it?",
            "8",
            "3 + 2m = 19, so 2m = 16 and m = 8.",
            "Subtract the fixed charge first.",
            "11",
        ),
        spec.ordering(
            "MATH.7.EQN.1",
            "Put the steps for solving 3(2x − 1) = 21 in order.",
            [
                "Divide both sides by 3: 2x − 1 = 7",
                "Add 1 to both sides: 2x = 8",
                "Divide both sides by 2: x = 4",
                "Check: 3(8 − 1) = 21",
            ],
            "Undo the operations in reverse order, then check.",
            "Deal with the bracket first.",
        ),
    ),
)

AREA_QUIZ = spec.QuizSpec(
    title="Area and circles quiz",
    description="Areas of polygons and circles, and circumference. Answers are shown after the due date.",
    lesson_slug="math7-circles",
    answer_visibility="after_due",
    questions=(
        spec.single(
            "MATH.7.GEOM.1",
            "What is the area of a triangle with base 10 cm and height 6 cm?",
            ["60 cm²", "*30 cm²", "16 cm²", "32 cm²"],
            "½ × 10 × 6 = 30 cm².",
            "A triangle is half a parallelogram.",
        ),
        spec.multiple(
            "MATH.7.GEOM.2",
            "A circle has radius 5 cm. Select all the true statements.",
            [
                "*Its diameter is 10 cm",
                "*Its area is 25π cm²",
                "Its circumference is 25π cm",
                "*Its circumference is 10π cm",
            ],
            "d = 2r = 10, A = πr² = 25π, C = πd = 10π.",
            "Use C = πd and A = πr².",
        ),
        spec.true_false(
            "MATH.7.GEOM.2",
            "To find the area of a circle from its diameter, you must halve the diameter first.",
            True,
            "A = πr² uses the radius, which is half the diameter.",
            "Which length is in the formula?",
        ),
        spec.short(
            "MATH.7.GEOM.2",
            "What is the name of the distance around a circle?",
            ["circumference", "the circumference"],
            "The circumference is the perimeter of a circle.",
            "It starts with 'circ'.",
            "diameter",
        ),
        spec.numeric(
            "MATH.7.GEOM.2",
            "Find the area of a circular pond with diameter 6 m, in m², to one decimal place.",
            "28.3",
            "r = 3 m, A = π × 3² = 9π ≈ 28.3 m².",
            "Halve the diameter first.",
            "113.1",
            tolerance="0.05",
        ),
        spec.ordering(
            "MATH.7.GEOM.1",
            "Order these shapes from smallest area to largest.",
            [
                "Triangle, base 6 cm, height 4 cm",
                "Rectangle, 4 cm by 5 cm",
                "Parallelogram, base 7 cm, height 4 cm",
                "Trapezoid, sides 8 cm and 10 cm, height 4 cm",
            ],
            "Areas: 12, 20, 28 and 36 cm².",
            "Work out each area first.",
        ),
    ),
)

PRACTICE = (
    spec.numeric(
        "MATH.7.FRAC.1",
        "Work out 5/6 − 1/4 as a decimal, to two decimal places.",
        "0.58",
        "10/12 − 3/12 = 7/12 ≈ 0.58.",
        "Use twelfths.",
        "0.5",
        "0.005",
    ),
    spec.single("MATH.7.FRAC.1", "What is 1/2 + 1/3?", ["2/5", "*5/6", "1/6"], "3/6 + 2/6 = 5/6.", "Use sixths."),
    spec.single(
        "MATH.7.FRAC.2",
        "What is 2/3 ÷ 4/5?",
        ["8/15", "*5/6", "6/5"],
        "2/3 × 5/4 = 10/12 = 5/6.",
        "Flip the second fraction.",
    ),
    spec.numeric(
        "MATH.7.FRAC.2",
        "How many thirds of a pizza can you serve from 5 whole pizzas? (5 ÷ 1/3)",
        "15",
        "5 × 3 = 15.",
        "Each pizza gives 3 thirds.",
        "1.67",
    ),
    spec.single(
        "MATH.7.RATIO.1",
        "Simplify 30 : 45 : 60.",
        ["6 : 9 : 12", "*2 : 3 : 4", "1 : 2 : 3"],
        "Divide by 15.",
        "Find the greatest common factor of all three.",
    ),
    spec.numeric(
        "MATH.7.RATIO.1",
        "Concrete mixes cement, sand and gravel in the ratio 1 : 2 : 4. How many kg of sand are in 350 kg?",
        "100",
        "7 parts of 50 kg; sand is 2 parts.",
        "Add the parts.",
        "175",
    ),
    spec.numeric(
        "MATH.7.RATIO.2",
        "A car travels 150 miles in 2.5 hours. What is its average speed in miles per hour?",
        "60",
        "150 ÷ 2.5 = 60 mph.",
        "Divide distance by time.",
        "375",
    ),
    spec.true_false(
        "MATH.7.RATIO.2",
        "On a 1 : 50 000 map, 6 cm represents 3 km.",
        True,
        "6 × 50 000 = 300 000 cm = 3 km.",
        "Convert cm to km at the end.",
    ),
    spec.numeric("MATH.7.EQN.1", "Solve 5x + 4 = 39. What is x?", "7", "5x = 35, x = 7.", "Subtract 4 first.", "8.6"),
    spec.numeric(
        "MATH.7.EQN.1", "Solve 9 − 2k = 1. What is k?", "4", "−2k = −8, so k = 4.", "Subtract 9 from both sides.", "-4"
    ),
    spec.single(
        "MATH.7.EQN.2",
        "Tickets cost $7 each plus a $5 booking fee. Which equation gives the number of tickets t for a total of $47?",
        ["*7t + 5 = 47", "5t + 7 = 47", "7 + 5 + t = 47"],
        "Each ticket adds $7; the fee is paid once.",
        "Which amount is paid once?",
    ),
    spec.numeric(
        "MATH.7.EQN.2",
        "Three consecutive whole numbers add up to 48. What is the smallest?",
        "15",
        "n + (n+1) + (n+2) = 48, so 3n + 3 = 48 and n = 15.",
        "Call them n, n+1 and n+2.",
        "16",
    ),
    spec.numeric(
        "MATH.7.GEOM.1",
        "A trapezoid has parallel sides 6 cm and 10 cm and height 5 cm. What is its area in cm²?",
        "40",
        "½ × (6 + 10) × 5 = 40 cm².",
        "Average the parallel sides.",
        "80",
    ),
    spec.true_false(
        "MATH.7.GEOM.1",
        "The height of a parallelogram is measured along its sloping side.",
        False,
        "Height is always perpendicular to the base.",
        "Think of a right angle.",
    ),
    spec.numeric(
        "MATH.7.GEOM.2",
        "Find the circumference of a circle with radius 9 cm, to one decimal place.",
        "56.5",
        "C = 2 × π × 9 ≈ 56.5 cm.",
        "C = 2πr.",
        "28.3",
        "0.05",
    ),
    spec.numeric(
        "MATH.7.GEOM.2",
        "Find the area of a circle with diameter 12 m, to one decimal place.",
        "113.1",
        "r = 6, A = 36π ≈ 113.1 m².",
        "Halve the diameter.",
        "452.4",
        "0.05",
    ),
)

SUBJECT = spec.SubjectSpec(
    subject="Mathematics",
    grade_level="7",
    objectives=OBJECTIVES,
    lessons=LESSONS,
    quizzes=(FRACTIONS_QUIZ, RATIO_QUIZ, EQUATIONS_QUIZ, AREA_QUIZ),
    practice=PRACTICE,
)
