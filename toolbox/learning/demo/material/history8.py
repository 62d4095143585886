"""History, grade 8: the American Revolution, the Constitution, industrialization, the Civil War."""

from __future__ import annotations

from toolbox.learning.demo.material import spec

OBJECTIVES = (
    spec.ObjectiveSpec("HIST.8.REV.1", "Explain the long- and short-term causes of the American Revolution."),
    spec.ObjectiveSpec("HIST.8.REV.2", "Sequence the key events from 1763 to the Declaration of Independence."),
    spec.ObjectiveSpec(
        "HIST.8.CONST.1", "Describe the weaknesses of the Articles of Confederation and the 1787 compromises."
    ),
    spec.ObjectiveSpec("HIST.8.CONST.2", "Explain separation of powers, checks and balances, and the Bill of Rights."),
    spec.ObjectiveSpec(
        "HIST.8.IND.1", "Identify the causes and key inventions of the Industrial Revolution in America."
    ),
    spec.ObjectiveSpec("HIST.8.IND.2", "Explain the effects of industrialization on workers, cities and regions."),
    spec.ObjectiveSpec("HIST.8.CIVIL.1", "Explain how disputes over slavery led to secession and the Civil War."),
    spec.ObjectiveSpec(
        "HIST.8.CIVIL.2", "Describe the turning points of the Civil War and the Reconstruction amendments."
    ),
)

LESSONS = (
    spec.LessonSpec("hist8-revolution", "Causes of the American Revolution", ("HIST.8.REV.1", "HIST.8.REV.2"), 30),
    spec.LessonSpec("hist8-constitution", "Creating the Constitution", ("HIST.8.CONST.1", "HIST.8.CONST.2"), 35),
    spec.LessonSpec("hist8-industrial", "The Industrial Revolution in America", ("HIST.8.IND.1", "HIST.8.IND.2"), 30),
    spec.LessonSpec(
        "hist8-civil-war", "The road to the Civil War", ("HIST.8.CIVIL.1", "HIST.8.CIVIL.2"), 35, "challenging"
    ),
)

REVOLUTION_QUIZ = spec.QuizSpec(
    title="Road to revolution quiz",
    description="Why thirteen loyal colonies declared independence.",
    lesson_slug="hist8-revolution",
    questions=(
        spec.single(
            "HIST.8.REV.1",
            "Why did Parliament start taxing the colonies after 1763?",
            [
                "To punish the Boston Tea Party",
                "*To pay the debt from the French and Indian War",
                "To fund the Continental Army",
                "To buy Louisiana",
            ],
            "The war doubled Britain's debt, and Parliament wanted the colonies to share the cost of their defense.",
            "Think about what the war cost.",
        ),
        spec.multiple(
            "HIST.8.REV.1",
            "Select all the British laws that taxed the colonists.",
            ["*Sugar Act", "*Stamp Act", "Proclamation of 1763", "*Townshend Acts"],
            "The Proclamation limited settlement; the other three were taxes.",
            "One of them was about land, not money.",
        ),
        spec.true_false(
            "HIST.8.REV.1",
            "The colonists elected members to the British Parliament.",
            False,
            "They had no members in Parliament: hence 'no taxation without representation'.",
            "Remember the famous slogan.",
        ),
        spec.short(
            "HIST.8.REV.1",
            "Which pamphlet by Thomas Paine argued for independence in January 1776?",
            ["common sense"],
            "Common Sense sold over 100,000 copies in a few months.",
            "Two words; something everyone should have.",
            "the rights of man",
        ),
        spec.numeric(
            "HIST.8.REV.2",
            "In what year did the Boston Tea Party take place?",
            "1773",
            "Colonists dumped 342 chests of tea into Boston Harbor in December 1773.",
            "It followed the Tea Act of the same year.",
            "1776",
        ),
        spec.ordering(
            "HIST.8.REV.2",
            "Put these events in the order they happened.",
            [
                "Stamp Act",
                "Boston Massacre",
                "Boston Tea Party",
                "Battles of Lexington and Concord",
                "Declaration of Independence",
            ],
            "1765, 1770, 1773, 1775, 1776.",
            "The taxes came before the fighting.",
        ),
    ),
)

CONSTITUTION_QUIZ = spec.QuizSpec(
    title="Constitution quiz",
    description="The Articles of Confederation, the 1787 compromises and the principles of the Constitution. "
    "Answers are shown after the due date.",
    lesson_slug="hist8-constitution",
    answer_visibility="after_due",
    questions=(
        spec.single(
            "HIST.8.CONST.1",
            "What did the Great Compromise decide?",
            [
                "How to count enslaved people",
                "*A House by population and a Senate with two members per state",
                "How to elect the president",
                "Where to put the capital",
            ],
            "It combined the Virginia and New Jersey plans.",
            "Large states versus small states.",
        ),
        spec.multiple(
            "HIST.8.CONST.1",
            "Select all the weaknesses of the Articles of Confederation.",
            [
                "*Congress could not collect taxes",
                "*There were no national courts",
                "The president had too much power",
                "*Amendments needed all thirteen states",
            ],
            "There was no president at all under the Articles.",
            "The Articles made the central government weak, not strong.",
        ),
        spec.true_false(
            "HIST.8.CONST.2",
            "The president can veto a bill passed by Congress.",
            True,
            "The veto is the executive's check on the legislature; Congress can override it with two-thirds.",
            "Think of checks and balances.",
        ),
        spec.short(
            "HIST.8.CONST.2",
            "What are the first ten amendments to the Constitution called?",
            ["the bill of rights", "bill of rights"],
            "The Bill of Rights was ratified in 1791.",
            "It lists protected rights.",
            "the federalist papers",
        ),
        spec.numeric(
            "HIST.8.CONST.1",
            "How many of the thirteen states had to ratify the Constitution for it to take effect?",
            "9",
            "Nine states, reached in 1788.",
            "More than two-thirds.",
            "13",
        ),
        spec.ordering(
            "HIST.8.CONST.1",
            "Put these in order.",
            [
                "Articles of Confederation ratified",
                "Shays' Rebellion",
                "Constitutional Convention",
                "Bill of Rights ratified",
            ],
            "1781, 1786–87, 1787, 1791.",
            "The rebellion showed the Articles were failing.",
        ),
    ),
)

INDUSTRY_QUIZ = spec.QuizSpec(
    title="Industrial Revolution quiz",
    description="Inventions, the Lowell system and the effects of industry.",
    lesson_slug="hist8-industrial",
    questions=(
        spec.single(
            "HIST.8.IND.1",
            "Who brought British textile-machine designs to America from memory?",
            ["Eli Whitney", "*Samuel Slater", "Robert Fulton", "Samuel Morse"],
            "Slater built the first successful water-powered cotton mill in Rhode Island in 1793.",
            "He built a mill in Pawtucket.",
        ),
        spec.multiple(
            "HIST.8.IND.2",
            "Select all the effects of industrialization in the North.",
            [
                "*Cities grew quickly",
                "*Workers began to form unions",
                "Slavery ended in the South",
                "*Immigration increased",
            ],
            "Slavery in the South expanded with cotton; it was not ended by industry.",
            "One option is about the South and is wrong.",
        ),
        spec.true_false(
            "HIST.8.IND.2",
            "The cotton gin made slavery less profitable.",
            False,
            "By speeding up cotton cleaning, it made cotton farming, and slavery, more profitable.",
            "More cotton could be processed.",
        ),
        spec.short(
            "HIST.8.IND.1",
            "What idea of Eli Whitney's made mass production possible: identical, ____ parts?",
            ["interchangeable"],
            "Interchangeable parts can replace one another, which makes repairs and mass production easy.",
            "Parts that can be exchanged.",
            "identical",
        ),
        spec.numeric(
            "HIST.8.IND.1",
            "In what year did the Erie Canal open?",
            "1825",
            "It linked the Great Lakes with New York City in 1825.",
            "The 1820s.",
            "1850",
        ),
        spec.ordering(
            "HIST.8.IND.1",
            "Put these inventions in the order they appeared.",
            ["Cotton gin", "Steamboat Clermont", "Steel plow", "Telegraph message"],
            "1793, 1807, 1837, 1844.",
            "The telegraph came last.",
        ),
    ),
)

CIVIL_WAR_QUIZ = spec.QuizSpec(
    title="Civil War unit test",
    description="A 15-minute timed test on the causes, turning points and results of the Civil War.",
    lesson_slug="hist8-civil-war",
    time_limit_minutes=15,
    max_attempts=1,
    answer_visibility="after_due",
    questions=(
        spec.single(
            "HIST.8.CIVIL.1",
            "What did the Kansas-Nebraska Act allow?",
            [
                "*Settlers to vote on whether to allow slavery",
                "Slavery everywhere in the West",
                "Kansas to join Canada",
                "The end of the slave trade",
            ],
            "Popular sovereignty led to violence in 'Bleeding Kansas'.",
            "It let the settlers decide.",
        ),
        spec.multiple(
            "HIST.8.CIVIL.2",
            "Select all the battles of 1863 that were turning points for the Union.",
            ["*Gettysburg", "*Vicksburg", "Fort Sumter", "Appomattox"],
            "Fort Sumter began the war in 1861; Appomattox ended it in 1865.",
            "Both happened in July 1863.",
        ),
        spec.true_false(
            "HIST.8.CIVIL.2",
            "The Emancipation Proclamation allowed Black men to join the Union army.",
            True,
            "About 180,000 served.",
            "It changed the war's aims and its armies.",
        ),
        spec.short(
            "HIST.8.CIVIL.1",
            "Which state was the first to secede, in December 1860?",
            ["south carolina"],
            "South Carolina seceded after Lincoln's election.",
            "Its fort was attacked first.",
            "virginia",
        ),
        spec.numeric(
            "HIST.8.CIVIL.2",
            "Which amendment abolished slavery? (Give the number.)",
            "13",
            "The 13th Amendment, 1865.",
            "The first of the three Reconstruction amendments.",
            "14",
        ),
        spec.ordering(
            "HIST.8.CIVIL.1",
            "Put these events in order.",
            [
                "Missouri Compromise",
                "Compromise of 1850",
                "Dred Scott decision",
                "Lincoln elected",
                "Attack on Fort Sumter",
            ],
            "1820, 1850, 1857, 1860, 1861.",
            "The war began after the election.",
        ),
    ),
)

PRACTICE = (
    spec.true_false(
        "HIST.8.REV.1",
        "The Proclamation of 1763 banned settlement west of the Appalachians.",
        True,
        "It aimed to avoid conflict with Native American nations.",
        "It was about land.",
    ),
    spec.single(
        "HIST.8.REV.1",
        "Which thinker argued that people have natural rights to life, liberty and property?",
        ["*John Locke", "Thomas Hobbes", "King George III"],
        "Locke's ideas shaped the Declaration.",
        "An English philosopher.",
    ),
    spec.numeric(
        "HIST.8.REV.2",
        "In what year was the Stamp Act passed?",
        "1765",
        "It taxed printed paper and was repealed in 1766.",
        "Two years after the war ended.",
        "1767",
    ),
    spec.true_false(
        "HIST.8.REV.2",
        "The Declaration of Independence was adopted before the battles of Lexington and Concord.",
        False,
        "The fighting began in April 1775; the Declaration came in July 1776.",
        "Check the years.",
    ),
    spec.true_false(
        "HIST.8.CONST.1",
        "Under the Articles of Confederation each state had one vote in Congress.",
        True,
        "Size did not matter under the Articles.",
        "Equal votes.",
    ),
    spec.single(
        "HIST.8.CONST.1",
        "Which uprising convinced leaders that the Articles were too weak?",
        ["*Shays' Rebellion", "The Whiskey Rebellion", "Bacon's Rebellion"],
        "Massachusetts farmers rebelled in 1786–1787.",
        "It happened in Massachusetts.",
    ),
    spec.single(
        "HIST.8.CONST.2",
        "Which branch can declare a law unconstitutional?",
        ["Legislative", "Executive", "*Judicial"],
        "Judicial review is the courts' check.",
        "The Supreme Court.",
    ),
    spec.true_false(
        "HIST.8.CONST.2",
        "Federalism means all power belongs to the national government.",
        False,
        "Federalism shares power between the nation and the states.",
        "Shared power.",
    ),
    spec.single(
        "HIST.8.IND.1",
        "Who invented the steel plow?",
        ["Eli Whitney", "*John Deere", "Cyrus McCormick"],
        "Deere's 1837 plow cut through prairie soil.",
        "His name is still on tractors.",
    ),
    spec.true_false(
        "HIST.8.IND.1",
        "The Industrial Revolution began in Britain.",
        True,
        "It began in Britain in the mid-1700s.",
        "Slater came from there.",
    ),
    spec.single(
        "HIST.8.IND.2",
        "Who were the Lowell mill girls?",
        [
            "*Young women from farms working in textile mills",
            "Enslaved workers in the South",
            "Immigrant children in mines",
        ],
        "They lived in company boardinghouses.",
        "Lowell, Massachusetts.",
    ),
    spec.true_false(
        "HIST.8.IND.2",
        "Irish and German immigration rose in the 1840s and 1850s.",
        True,
        "Many worked in factories and on canals and railroads.",
        "Think of the famine in Ireland.",
    ),
    spec.numeric(
        "HIST.8.CIVIL.1",
        "In what year was the Dred Scott decision?",
        "1857",
        "The Supreme Court ruled in 1857.",
        "Three years before Lincoln's election.",
        "1850",
    ),
    spec.true_false(
        "HIST.8.CIVIL.1",
        "Lincoln won electoral votes in every Southern state.",
        False,
        "He won no Southern electoral votes.",
        "The South feared him.",
    ),
    spec.single(
        "HIST.8.CIVIL.2",
        "Which amendment promised equal protection of the laws?",
        ["13th", "*14th", "15th"],
        "The 14th Amendment, 1868.",
        "The middle one.",
    ),
    spec.true_false(
        "HIST.8.CIVIL.2",
        "Reconstruction ended in 1877.",
        True,
        "Federal troops left the South in 1877.",
        "A dozen years after the war.",
    ),
)

SUBJECT = spec.SubjectSpec(
    subject="History",
    grade_level="8",
    objectives=OBJECTIVES,
    lessons=LESSONS,
    quizzes=(REVOLUTION_QUIZ, CONSTITUTION_QUIZ, INDUSTRY_QUIZ, CIVIL_WAR_QUIZ),
    practice=PRACTICE,
)
