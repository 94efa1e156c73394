from . import retail_points_liability_report
