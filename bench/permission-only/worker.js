// Listens to nothing: Chrome routes every request of the profile through its webRequest proxy as
// soon as an extension holding the webRequest permission is loaded, listeners or not.
