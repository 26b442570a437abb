"""TODO"""

# ----- consular posts and national days -----


# ----- events and guests -----


# ----- city ambassadors -----
