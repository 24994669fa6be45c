"""Pages of the steering group: the group with its members and figures, meetings, action items."""
