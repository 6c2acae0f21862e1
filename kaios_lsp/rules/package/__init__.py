"""Rules on the uploaded package (application.zip): its signature."""
