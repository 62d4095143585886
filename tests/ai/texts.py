"""Real source texts of different subjects and lengths, as an educator would paste them."""

PHOTOSYNTHESIS = """\
# Photosynthesis

Photosynthesis is the process by which green plants use light energy to make their own food. \
It takes place mainly in the leaves. Chlorophyll is a green pigment that captures the energy of sunlight. \
Chloroplasts are the tiny structures inside plant cells where photosynthesis happens.

Plants need three things for photosynthesis: light, water and carbon dioxide. Water travels up from the \
roots through the stem. Carbon dioxide enters the leaf through small openings. These small openings \
are called stomata. Glucose is a simple sugar that the plant uses for energy and growth. Oxygen is \
released into the air as a by-product.

First, chlorophyll absorbs light energy. Then the plant splits water molecules into hydrogen and oxygen. \
Next, the hydrogen combines with carbon dioxide to build glucose. Finally, the oxygen leaves the leaf \
through the stomata.

A single large tree can release about 100 kilograms of oxygen in a year. Without photosynthesis, \
animals would have no food and no oxygen to breathe.
"""

WATER_CYCLE = """\
The water cycle is the continuous movement of water between the land, the oceans and the air. \
The Sun drives the whole cycle by heating water at the surface of the Earth.

Evaporation is the change of liquid water into water vapour. Most evaporation happens over the oceans, \
which cover about 71 percent of the Earth's surface. Transpiration is the loss of water vapour from the \
leaves of plants. As warm, moist air rises, it cools down. Condensation is the change of water vapour \
back into tiny liquid droplets. Billions of these droplets together form clouds.

Precipitation is water that falls from clouds to the ground as rain, snow, sleet or hail. Some of it \
soaks into the soil and becomes groundwater. Runoff is water that flows over the land into streams, \
rivers and lakes. Eventually the rivers carry the water back to the sea, and the cycle begins again.

1. Water evaporates from oceans, lakes and rivers.
2. The water vapour rises and cools.
3. The vapour condenses into clouds.
4. Water falls back to the ground as precipitation.
5. Runoff and groundwater carry the water back to the oceans.
"""

FRENCH_REVOLUTION = """\
The French Revolution was a period of great political change in France at the end of the eighteenth \
century. King Louis XVI ruled France, but the government was deeply in debt after years of war. \
The Estates-General was an assembly of the three orders of French society: the clergy, the nobles \
and the common people.

In 1789, the king called the Estates-General to Versailles to raise new taxes. The representatives of \
the common people broke away and formed the National Assembly. On 14 July 1789 a crowd in Paris stormed \
the Bastille, a royal prison that stood for the power of the king. The Declaration of the Rights of Man \
and of the Citizen stated that all men are born free and equal in rights.

In 1792, France became a republic, and the monarchy was abolished. The Reign of Terror was a period of \
violence in which thousands of suspected enemies of the revolution were executed. Maximilien Robespierre \
led the Committee of Public Safety during the Terror. In 1794, Robespierre himself was arrested and \
executed. In 1799, Napoleon Bonaparte seized power and ended the revolution.
"""

FRACTIONS = """\
A fraction is a number that names a part of a whole or a part of a set. The numerator is the number \
above the line, and it tells how many equal parts we have. The denominator is the number below the \
line, and it tells how many equal parts make the whole.

A unit fraction is a fraction with a numerator of 1. Equivalent fractions are fractions that name the \
same amount, such as one half and two quarters. To find an equivalent fraction, multiply the numerator \
and the denominator by the same number. A pizza cut into 8 equal slices shows eighths, and 4 of those \
slices make one half of the pizza.

To add two fractions with different denominators, follow these steps. First, find a common denominator. \
Then rewrite each fraction with the common denominator. Next, add the numerators and keep the \
denominator. Finally, simplify the answer if you can. An improper fraction is a fraction whose \
numerator is greater than or equal to its denominator.
"""

ALL_TEXTS = {
    "photosynthesis": PHOTOSYNTHESIS,
    "water cycle": WATER_CYCLE,
    "French Revolution": FRENCH_REVOLUTION,
    "fractions": FRACTIONS,
}
